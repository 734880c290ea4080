using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>samples/BuildTimeBundle, copied as it is beside samples/archives, builds against the packed Bundler.Build.</summary>
[Collection(PackedFeed.Name)]
public sealed class SampleScenario(PackagesFixture packages)
{
    [Fact]
    public async Task BuildTimeBundleSample_Built_BundlesTheSampleArchives()
    {
        using var temp = new TempDirectory();
        var samples = Path.Combine(RepositoryRoot.Path, "samples");
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "BuildTimeBundle/BuildTimeBundle.csproj", "BuildTimeBundle/Program.cs" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp[file])!);
            File.Copy(Path.Combine(samples, file), temp[file]);
        }

        Directory.CreateDirectory(temp["archives"]);
        foreach (var archive in Directory.GetFiles(Path.Combine(samples, "archives")))
        {
            File.Copy(archive, temp["archives/" + Path.GetFileName(archive)]);
        }

        // The sample's own nuget.config points at artifacts/packages; this one points at the feed packed for this run.
        packages.WriteNuGetConfig(temp.Path);
        (await DotNet.RunAsync(temp["BuildTimeBundle"], packages.Environment, "build", "-tl:off", "-nodeReuse:false", "--disable-build-servers", $"-p:BundlerBuildVersion={packages.Version}")).EnsureSuccess();

        await using var bundle = File.OpenRead(temp["BuildTimeBundle/bin/Debug/net10.0/packages.tar.zst"]);
        var manifest = (await BundleReader.VerifyAsync(bundle)).Manifest;
        Assert.Equal(["NuGet.Versioning 8.0.0", "hostname 3.23", "is-number 7.0.0", "ms 2.1.3"], manifest.Packages.Select(p => $"{p.Id} {p.Version}"));
        Assert.Equal(["NuGet.Versioning.nuspec", "lib/net10.0/NuGet.Versioning.dll"], manifest.Packages[0].Files.Select(f => f.Path));
        Assert.True(manifest.Packages[1].KeepArchive);
        Assert.True(File.Exists(temp["BuildTimeBundle/bundle.lock.json"]));
    }
}
