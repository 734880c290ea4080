using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Bundler.Testing;
using Bundler.Testing.Http;

namespace Bundler.Build.Tests;

/// <summary>
/// The tool installed from the feed on this platform is the Native AOT one, and it does what the portable tool (the
/// fallback every other platform installs) does, byte for byte: the same bundles, publish folders, trees, reports and
/// refusals from the same inputs.
/// </summary>
[Collection(PackedFeed.Name)]
public sealed partial class PrecompiledToolScenario(PackagesFixture packages) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [NativeToolchainFact]
    public async Task Tool_InstalledOnThisPlatform_IsNativeAndMatchesThePortableTool()
    {
        var native = await InstallAsync();
        var portable = ExtractPortable();
        WriteInputs(_temp["inputs"]);

        var nativeRun = await RunScriptAsync(native, [], "native");
        var portableRun = await RunScriptAsync("dotnet", [portable], "portable");

        Assert.Equal(portableRun.Steps.Count, nativeRun.Steps.Count);
        foreach (var (expected, actual) in portableRun.Steps.Zip(nativeRun.Steps))
        {
            Assert.Equal(expected, actual);
        }

        foreach (var folder in new[] { "b.tar.zst", "site", "unpacked", "loaded-bundle", "loaded-ranges", "loaded-files" })
        {
            Assert.Equal(Snapshot(portableRun.Root, folder), Snapshot(nativeRun.Root, folder));
        }

        // Signatures are randomized (ECDSA): each tool accepts the other's.
        foreach (var (tool, prefix, signedBy) in new[] { (native, Array.Empty<string>(), portableRun), ("dotnet", [portable], nativeRun) })
        {
            var load = await DotNet.RunProgramAsync(tool, signedBy.Root, null, [.. prefix, "load", "signed", "-o", "cross", "--trust-key", "../inputs/key.pub.pem"]);
            load.EnsureSuccess();
        }
    }

    /// <summary>Installs the tool as a user would, and returns its command after checking it is a native executable.</summary>
    private async Task<string> InstallAsync()
    {
        var rid = packages.NativeRuntimeIdentifier;
        Assert.NotNull(rid);
        File.WriteAllText(_temp["nuget.config"], "<configuration><packageSources><clear /></packageSources></configuration>");
        (await DotNet.RunAsync(_temp.Path, packages.Environment, "tool", "install", "Bundler.Cli", "--tool-path", _temp["tools"], "--add-source", packages.Feed, "--version", packages.Version)).EnsureSuccess();

        var store = _temp["tools/.store"];
        Assert.Empty(Directory.GetFiles(store, "dotnet-bundle-packages.dll", SearchOption.AllDirectories));
        var executable = Assert.Single(Directory.GetFiles(store, "dotnet-bundle-packages", SearchOption.AllDirectories));
        Assert.Contains($"bundler.cli.{rid}", executable, StringComparison.Ordinal);
        var header = new byte[4];
        using (var file = File.OpenRead(executable))
        {
            file.ReadExactly(header);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        return _temp["tools/dotnet-bundle-packages"];
    }

    /// <summary>The portable package's tool, as <c>dotnet tool install</c> lays it out where no native package fits.</summary>
    private string ExtractPortable()
    {
        var package = Directory.GetFiles(packages.Feed, $"Bundler.Cli.any.{packages.Version}.nupkg").Single();
        ZipFile.ExtractToDirectory(package, _temp["portable"]);
        return Directory.GetFiles(_temp["portable/tools"], "dotnet-bundle-packages.dll", SearchOption.AllDirectories).Single();
    }

    private static void WriteInputs(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "archives"));
        TestArchives.TarGz(Path.Combine(root, "archives", "left-pad.1.3.0.tgz"), ArchiveContent.Sample("left-pad", 1));
        TestArchives.Zip(Path.Combine(root, "archives", "Contoso.Core.2.0.0.nupkg"), ArchiveContent.Sample("Contoso.Core", 2, blobSize: 300_000));
        TestArchives.Zip(Path.Combine(root, "archives", "six-1.16.0-py2.py3-none-any.whl"), ArchiveContent.Sample("six", 3));
        TestArchives.TarXz(Path.Combine(root, "archives", "tool.4.1.tar.xz"), new ArchiveContent().Add("bin/tool", "#!/bin/sh\necho tool\n"u8.ToArray(), executable: true));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(root, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(root, "key.pub.pem"), key.ExportSubjectPublicKeyInfoPem());
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(root, "other.pub.pem"), other.ExportSubjectPublicKeyInfoPem());
        File.WriteAllBytes(Path.Combine(root, "damaged.tar.zst"), [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3]);
    }

    /// <summary>
    /// Runs the same commands with one tool in a folder of its own, on relative paths so that what they print can be
    /// compared; returns each step's exit code and, for steps whose output holds no timings, what it printed, with its own folder, server and (randomized) signature's name written ROOT, URL and SIGNATURE (the others must
    /// succeed).
    /// </summary>
    private async Task<ScriptRun> RunScriptAsync(string tool, string[] prefix, string name)
    {
        var root = _temp[name];
        Directory.CreateDirectory(root);
        var steps = new List<string>();
        async Task Step(bool compareOutput, params string[] arguments)
        {
            var result = await DotNet.RunProgramAsync(tool, root, null, [.. prefix, .. arguments]);
            if (!compareOutput)
            {
                result.EnsureSuccess();
            }

            var step = $"{string.Join(' ', arguments)} -> {result.ExitCode}" + (compareOutput ? "\n" + result.Output : "");
            steps.Add(SignatureName().Replace(LoopbackUrl().Replace(step.Replace(root, "ROOT", StringComparison.Ordinal), "URL/"), "signatures/SIGNATURE"));
        }

        await Step(false, "pack", "--from-dir", "../inputs/archives", "-o", "b.tar.zst/b.tar.zst");
        await Step(false, "pack", "--from-dir", "../inputs/archives", "--publish", "site", "--frame-size", "64K");
        await Step(false, "pack", "--from-dir", "../inputs/archives", "--publish", "signed", "--sign-key", "../inputs/key.pem");
        await Step(true, "inspect", "b.tar.zst/b.tar.zst", "--json");
        await Step(false, "verify", "b.tar.zst/b.tar.zst");
        await Step(false, "unpack", "b.tar.zst/b.tar.zst", "-o", "unpacked");
        await using (var server = await LoopbackServer.ServeDirectoryAsync(Path.Combine(root, "site")))
        {
            foreach (var mode in new[] { "bundle", "ranges", "files" })
            {
                await Step(false, "load", server.BaseUri.AbsoluteUri, "-o", $"loaded-{mode}", "--mode", mode);
            }
        }

        await Step(true, "load", "signed", "-o", "refused", "--trust-key", "../inputs/other.pub.pem");
        await Step(true, "unpack", "../inputs/damaged.tar.zst", "-o", "refused");
        await Step(true, "pack", "--from-dir", "../inputs/missing", "-o", "refused.tar.zst");
        await Step(true, "pack", "--level", "99", "--from-dir", "../inputs/archives", "-o", "refused.tar.zst");
        Assert.False(Directory.Exists(Path.Combine(root, "refused")));
        return new ScriptRun(root, steps);
    }

    private static SortedDictionary<string, string> Snapshot(string root, string folder) => TreeAssert.Snapshot(Path.Combine(root, folder));

    [GeneratedRegex(@"http://127\.0\.0\.1:[0-9]+/")]
    private static partial Regex LoopbackUrl();

    [GeneratedRegex("signatures/sha256-[0-9a-f]{64}")]
    private static partial Regex SignatureName();

    private sealed record ScriptRun(string Root, List<string> Steps);
}
