using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Testing;
using Bundler.Testing.Loading;

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
    public async Task Write_OverItsOwnEarlierPublishes_KeepsThePreviousObjectsAndRemovesOlderOnes()
    {
        var site = _temp["site"];
        await PublishFolderWriter.WriteAsync(_packages, site);
        var first = PublishFolder.BundleName(site);
        await PublishFolderWriter.WriteAsync(_packages.Take(2), site);
        var second = PublishFolder.BundleName(site);

        var result = await PublishFolderWriter.WriteAsync(_packages.Take(1), site);

        Assert.Single(result.Bundle.Manifest.Packages);
        Assert.False(File.Exists(Path.Combine(site, first)));
        Assert.True(File.Exists(Path.Combine(site, second)));
        Assert.True(File.Exists(result.Bundle.Path));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(site, PublishLayout.FilesFolder), "*", SearchOption.AllDirectories).Length);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(site, PublishLayout.BundlesFolder)).Length);
    }

    [Fact]
    public async Task Write_SameSetAgain_WritesNothing()
    {
        var site = _temp["site"];
        var first = await PublishFolderWriter.WriteAsync(_packages, site);
        var before = TreeOf(site).Select(f => (f, File.Exists(f) ? File.GetLastWriteTimeUtc(f) : default)).ToList();

        var again = await PublishFolderWriter.WriteAsync(_packages, site);

        Assert.Equal((0, 0L), (again.UploadedFiles, again.UploadedBytes));
        Assert.True(first.UploadedBytes > first.Bundle.Size, $"the first publish wrote {first.UploadedBytes} bytes");
        Assert.Equal(first.Objects, again.Objects);
        Assert.Equal(before, TreeOf(site).Select(f => (f, File.Exists(f) ? File.GetLastWriteTimeUtc(f) : default)).ToList());
    }

    [Fact]
    public async Task Write_OnePackageChanged_WritesThatArchiveTheBundleTheManifestAndTheEntryPoint()
    {
        var site = _temp["site"];
        await PublishFolderWriter.WriteAsync(_packages, site);
        var changed = _temp["changed.zip"];
        TestArchives.Zip(changed, new ArchiveContent().Add("lib/changed.txt", "new content"));
        var zip = _packages.FindIndex(p => p.ArchivePath.EndsWith(".zip", StringComparison.Ordinal));
        var packages = _packages.Select((p, i) => i == zip ? p with { ArchivePath = CopyNamed(changed, p.ArchivePath) } : p).ToList();

        var result = await PublishFolderWriter.WriteAsync(packages, site);

        // archive, manifest JSON, bundle; then integrity.txt and index.json.
        Assert.Equal(5, result.UploadedFiles);
        var archive = new FileInfo(packages[zip].ArchivePath).Length;
        Assert.InRange(result.UploadedBytes, result.Bundle.Size + archive, result.Bundle.Size + archive + (1 << 20));
    }

    [Fact]
    public async Task Write_OverAPublishFolderWrittenBeforeTheIndex_PublishesAndRemovesTheOldNames()
    {
        var site = _temp["site"];
        await LegacyPublishFolder.WriteAsync(_packages, site);
        File.Delete(Path.Combine(site, PublishLayout.MarkerFileName));
        File.Delete(Path.Combine(site, PublishLayout.IntegrityFileName));

        var result = await PublishFolderWriter.WriteAsync(_packages.Take(1), site);

        Assert.Single(result.Bundle.Manifest.Packages);
        Assert.True(File.Exists(Path.Combine(site, PublishLayout.MarkerFileName)));
        Assert.False(File.Exists(Path.Combine(site, PublishLayout.BundleFileName)));
        Assert.False(File.Exists(Path.Combine(site, PublishLayout.ManifestFileName)));
        Assert.Empty(Directory.GetFiles(Path.Combine(site, PublishLayout.FilesFolder)));
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
        Assert.True(File.Exists(PublishFolder.BundlePath(site)));
        Assert.Equal(result.Bundle.Path, PublishFolder.BundlePath(site));
    }

    /// <summary>A copy of <paramref name="archive"/> under the file name of <paramref name="like"/>, in a folder of its own.</summary>
    private string CopyNamed(string archive, string like)
    {
        var copy = Path.Combine(Directory.CreateDirectory(_temp["changed"]).FullName, Path.GetFileName(like));
        File.Copy(archive, copy);
        return copy;
    }

    private static List<string> TreeOf(string folder) =>
        [.. Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path) + (File.Exists(path) ? ":" + Convert.ToHexString(File.ReadAllBytes(path)) : "/"))
            .Order(StringComparer.Ordinal)];
}
