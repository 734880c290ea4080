using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Testing;

namespace Bundler.Core.Tests.Publishing;

public sealed class PublishFolderWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<PackageInput> _packages;

    public PublishFolderWriterTests() =>
        _packages = SamplePackages.WriteAllKinds(Directory.CreateDirectory(_temp["archives"]).FullName).Select(p => p.Input).ToList();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Write_FolderWithAForeignManifestJson_RefusedAndNothingOfItsChanged()
    {
        var site = _temp["webapp"];
        Directory.CreateDirectory(Path.Combine(site, ".git"));
        await File.WriteAllTextAsync(Path.Combine(site, ".git", "HEAD"), "ref: refs/heads/main\n");
        await File.WriteAllTextAsync(Path.Combine(site, "manifest.json"), "{\"name\":\"my web app\"}");
        await File.WriteAllTextAsync(Path.Combine(site, "index.html"), "<!doctype html>");
        var before = TreeOf(site);

        var error = await Assert.ThrowsAsync<BundleException>(() => PublishFolderWriter.WriteAsync(_packages, site));

        Assert.Contains(site, error.Message, StringComparison.Ordinal);
        Assert.Contains(PublishLayout.MarkerFileName, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, TreeOf(site));
        Assert.Equal([site], Directory.GetDirectories(_temp.Path, "webapp*"));
    }

    [Fact]
    public async Task Write_OverItsOwnEarlierPublish_ReplacesIt()
    {
        var site = _temp["site"];
        await PublishFolderWriter.WriteAsync(_packages, site);
        Assert.True(File.Exists(Path.Combine(site, PublishLayout.MarkerFileName)));

        var result = await PublishFolderWriter.WriteAsync(_packages.Take(1), site);

        Assert.Single(result.Bundle.Manifest.Packages);
        Assert.Single(Directory.GetFiles(Path.Combine(site, PublishLayout.FilesFolder)));
    }

    [Fact]
    public async Task Write_OverAPublishFolderWrittenBeforeTheMarker_ReplacesIt()
    {
        var site = _temp["site"];
        await PublishFolderWriter.WriteAsync(_packages, site);
        File.Delete(Path.Combine(site, PublishLayout.MarkerFileName));
        File.Delete(Path.Combine(site, PublishLayout.IntegrityFileName));

        var result = await PublishFolderWriter.WriteAsync(_packages.Take(1), site);

        Assert.Single(result.Bundle.Manifest.Packages);
        Assert.True(File.Exists(Path.Combine(site, PublishLayout.MarkerFileName)));
    }

    [Fact]
    public async Task Write_FolderLaidOutLikeAPublishButWithAnotherBundle_Refused()
    {
        var site = _temp["site"];
        Directory.CreateDirectory(Path.Combine(site, PublishLayout.FilesFolder));
        await File.WriteAllTextAsync(Path.Combine(site, PublishLayout.ManifestFileName), "{}");
        await File.WriteAllTextAsync(Path.Combine(site, PublishLayout.BundleFileName), "not a bundle");

        await Assert.ThrowsAsync<BundleException>(() => PublishFolderWriter.WriteAsync(_packages, site));

        Assert.Equal("not a bundle", await File.ReadAllTextAsync(Path.Combine(site, PublishLayout.BundleFileName)));
    }

    [Fact]
    public async Task Write_ToASymbolicLink_RefusedAndTheLinkAndItsFolderKept()
    {
        var real = _temp["real"];
        await PublishFolderWriter.WriteAsync(_packages, real);
        var before = TreeOf(real);
        var link = _temp["link"];
        Directory.CreateSymbolicLink(link, real);

        var error = await Assert.ThrowsAsync<BundleException>(() => PublishFolderWriter.WriteAsync(_packages.Take(1), link));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal(real, new DirectoryInfo(link).LinkTarget);
        Assert.Equal(before, TreeOf(real));
    }

    [Fact]
    public async Task Write_EmptyFolder_Publishes()
    {
        var site = Directory.CreateDirectory(_temp["empty"]).FullName;

        var result = await PublishFolderWriter.WriteAsync(_packages, site);

        Assert.Equal(_packages.Count, result.Bundle.Manifest.Packages.Count);
        Assert.True(File.Exists(Path.Combine(site, PublishLayout.BundleFileName)));
    }

    private static List<string> TreeOf(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path) + (File.Exists(path) ? ":" + Convert.ToHexString(File.ReadAllBytes(path)) : "/"))
            .Order(StringComparer.Ordinal)];
}
