using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;

namespace Bundler.Testing.Loading;

/// <summary>
/// A publish folder written by the real writer from real archives of every kind, plus one large package that spans
/// several frames (small frames, incompressible bytes), and the tree every load of it must give.
/// </summary>
public sealed class PublishedPackages : IDisposable
{
    public const string LargeId = "Large.Package";
    public const int FrameSize = 64 * 1024;

    private PublishedPackages(TempDirectory temp, string folder, Manifest manifest, Dictionary<string, byte[]> expectedTree)
    {
        Temp = temp;
        Folder = folder;
        Manifest = manifest;
        ExpectedTree = expectedTree;
    }

    public TempDirectory Temp { get; }

    /// <summary>The publish folder.</summary>
    public string Folder { get; }

    public Manifest Manifest { get; }

    /// <summary>Relative path under the target to bytes, for all packages.</summary>
    public Dictionary<string, byte[]> ExpectedTree { get; }

    public string BundlePath => File.Exists(Path.Combine(Folder, PublishLayout.IndexFileName)) ? PublishFolder.BundlePath(Folder) : Path.Combine(Folder, PublishLayout.BundleFileName);

    /// <summary>A fresh target path under the temp folder, inside a parent of its own (to check for leftovers).</summary>
    public string NewTarget(string name) => Path.Combine(Temp.Path, "out-" + name, "target");

    /// <summary>A fresh target that already holds <c>mine/keep.txt</c>, which a failed load must leave as it was (<see cref="LoadAssert.Untouched"/>).</summary>
    public string ExistingTarget(string name)
    {
        var target = NewTarget(name);
        Directory.CreateDirectory(Path.Combine(target, "mine"));
        File.WriteAllText(Path.Combine(target, "mine", "keep.txt"), "mine");
        return target;
    }

    /// <summary>Publishes the packages; in the names written before <c>index.json</c> existed unless <paramref name="legacyLayout"/> is false.</summary>
    public static async Task<PublishedPackages> CreateAsync(bool legacyLayout = true)
    {
        var temp = new TempDirectory();
        var archives = Directory.CreateDirectory(temp["archives"]).FullName;
        var packages = SamplePackages.WriteAllKinds(archives);
        var large = new ArchiveContent();
        var random = new Random(42);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[100_000];
            random.NextBytes(bytes);
            large.Add($"data/blob{i}.bin", bytes);
        }

        packages.Add((new PackageInput { Id = LargeId, Version = "2.0.0", ArchivePath = TestArchives.Zip(Path.Combine(archives, LargeId + ".2.0.0.nupkg"), large) }, large));
        var inputs = packages.Select(p => p.Input);
        var options = new BundleWriterOptions { MaxFrameSize = FrameSize };
        var result = legacyLayout ? await LegacyPublishFolder.WriteAsync(inputs, temp["publish"], options) : await PublishFolderWriter.WriteAsync(inputs, temp["publish"], options);
        return new PublishedPackages(temp, result.Location, result.Bundle.Manifest, SamplePackages.ExpectedTree(packages));
    }

    /// <summary>The absolute byte range (first, last) of a package's frames in the bundle.</summary>
    public (long First, long Last) FrameRange(PackageEntry package)
    {
        var payload = new FileInfo(BundlePath).Length - Manifest.PayloadSize;
        var first = Manifest.Frames[package.FirstFrame];
        var last = Manifest.Frames[package.FirstFrame + package.FrameCount - 1];
        return (payload + first.Offset, payload + last.Offset + last.Size - 1);
    }

    public void Dispose() => Temp.Dispose();
}
