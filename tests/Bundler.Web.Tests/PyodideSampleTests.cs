using System.Security.Cryptography;
using System.Text.Json;
using Bundler.Comparison.Browser;
using Bundler.Core.Download;
using Bundler.Core.Pipeline;
using Bundler.Core.Publishing;
using Bundler.Serving;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Web.Tests;

/// <summary>
/// samples/PyodideWeb, built by its own build script, in headless Chromium with the real Pyodide runtime from npm: the
/// wheels of a pyodide-lock.json set, packed and published by the real writer, installed from the one bundle and from
/// the many original wheels.
/// </summary>
public sealed class PyodideSampleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [PyodideSampleFact]
    public async Task Sample_PyodideLockSet_InstallsAndImportsTheSameWheelsFromTheBundleAndFromManyFiles()
    {
        await using var wheelServer = await LoopbackServer.ServeDirectoryAsync(WriteWheelsAndLock());
        await File.WriteAllTextAsync(_temp["bundle.json"], $$"""
            { "sources": { "py": { "type": "pyodide-lock", "lock": "{{wheelServer.Url("pyodide-lock.json")}}" } },
              "packages": [ { "source": "py", "id": "beta" }, { "source": "py", "id": "gamma" } ] }
            """);
        var inputs = await PackageSetPacker.PrepareAsync(_temp["bundle.json"], new PackageSetPackOptions { Download = new DownloadOptions { CacheDirectory = _temp["cache"] } }, CancellationToken.None);
        await PublishFolderWriter.WriteAsync(inputs, _temp["site/wheels"]);
        var build = ExternalTool.Shell($"node build.mjs '{_temp["site"]}'", PyodideSampleFactAttribute.SampleFolder);
        Assert.True(build.ExitCode == 0, build.Error);
        await using var site = await StaticFileServer.StartAsync(_temp["site"], new StaticFileServerOptions { Protocols = ServeProtocols.Http1 }, null, CancellationToken.None);
        await using var browser = await HeadlessBrowser.LaunchAsync(null, CancellationToken.None);

        await browser.NavigateAsync(new Uri(site.Http1Url!, "index.html?from=wheels/"), CancellationToken.None);
        var results = await browser.EvaluateAsync("window.sampleResults", CancellationToken.None);

        string[] wheels = ["alpha-1.0.0-py3-none-any.whl", "beta-2.0.0-py3-none-any.whl", "gamma-3.0.0-py3-none-any.whl"];
        foreach (var mode in new[] { "bundle", "files" })
        {
            var result = results.GetProperty(mode);
            Assert.False(result.TryGetProperty("error", out var error), $"{mode}: {error}");
            Assert.Equal(wheels, result.GetProperty("wheels").EnumerateArray().Select(w => w.GetString()));
            // beta imports alpha: the dependency the lock names was bundled and installed beside it.
            Assert.Equal(new Dictionary<string, string> { ["alpha"] = "1.0.0", ["beta"] = "2.0.0+1.0.0", ["gamma"] = "3.0.0" },
                result.GetProperty("imported").Deserialize<Dictionary<string, string>>());
        }

        Assert.Equal(new FileInfo(PublishFolder.BundlePath(_temp["site/wheels"])).Length, results.GetProperty("bundle").GetProperty("transferredBytes").GetInt64());
        // Files mode reads the manifest, then every original wheel.
        Assert.Equal(new FileInfo(PublishFolder.ManifestPath(_temp["site/wheels"])).Length + Directory.GetFiles(_temp["site/wheels/files"], "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), results.GetProperty("files").GetProperty("transferredBytes").GetInt64());
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Three pure-Python wheels (beta imports alpha) and a pyodide-lock.json naming them; returns their folder.</summary>
    private string WriteWheelsAndLock()
    {
        var folder = _temp["wheels-src"];
        Directory.CreateDirectory(folder);
        var packages = new Dictionary<string, object>();
        foreach (var (name, version, module, source, depends) in new[]
        {
            ("alpha", "1.0.0", "alpha/__init__.py", "__version__ = '1.0.0'\n", Array.Empty<string>()),
            ("beta", "2.0.0", "beta/__init__.py", "import alpha\n__version__ = '2.0.0+' + alpha.__version__\n", ["alpha"]),
            ("gamma", "3.0.0", "gamma.py", "__version__ = '3.0.0'\n", []),
        })
        {
            var fileName = $"{name}-{version}-py3-none-any.whl";
            var info = $"{name}-{version}.dist-info";
            var path = TestArchives.Zip(Path.Combine(folder, fileName), new ArchiveContent()
                .Add(module, source)
                .Add($"{info}/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
                .Add($"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
                .Add($"{info}/RECORD", ""));
            packages[name] = new
            {
                name,
                version,
                file_name = fileName,
                sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))),
                depends,
                imports = new[] { name },
                package_type = "package",
                install_dir = "site",
            };
        }

        File.WriteAllText(Path.Combine(folder, "pyodide-lock.json"), JsonSerializer.Serialize(new { info = new { version = "0.27.8" }, packages }));
        return folder;
    }
}
