using Bundler.Core.Writing;

namespace Bundler.Testing;

/// <summary>Writes sample packages of every archive kind into a folder and returns them as inputs.</summary>
public static class SamplePackages
{
    /// <summary>Expected tree (relative path under the target to bytes) for the given inputs' contents.</summary>
    public static Dictionary<string, byte[]> ExpectedTree(IEnumerable<(PackageInput Input, ArchiveContent Content)> packages)
    {
        var tree = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (input, content) in packages)
        {
            foreach (var (path, bytes) in content.Files)
            {
                tree[$"{input.Id}/{input.Version}/{path}"] = bytes;
            }
        }

        return tree;
    }

    /// <summary>One package per archive kind: zip, nupkg, whl, tar, tgz, tar.bz2, tar.zst (and tar.xz when xz exists).</summary>
    public static List<(PackageInput Input, ArchiveContent Content)> WriteAllKinds(string directory)
    {
        var result = new List<(PackageInput, ArchiveContent)>();
        void Add(string id, string extension, Func<string, ArchiveContent, string> write, int seed)
        {
            var content = ArchiveContent.Sample(id, seed);
            var path = write(Path.Combine(directory, $"{id}.1.0.{seed}{extension}"), content);
            result.Add((new PackageInput { Id = id, Version = $"1.0.{seed}", ArchivePath = path }, content));
        }

        Add("Zip.Package", ".zip", TestArchives.Zip, 1);
        Add("NuGet.Package", ".nupkg", TestArchives.Zip, 2);
        Add("wheel_package", ".whl", TestArchives.Zip, 3);
        Add("tar-package", ".tar", (p, c) => TestArchives.Tar(p, c), 4);
        Add("npm-package", ".tgz", (p, c) => TestArchives.TarGz(p, c), 5);
        Add("bzip2-package", ".tar.bz2", TestArchives.TarBz2, 6);
        Add("zstd-package", ".tar.zst", TestArchives.TarZst, 7);
        if (ExternalTool.Find("xz") is not null)
        {
            Add("xz-package", ".tar.xz", TestArchives.TarXz, 8);
        }

        return result;
    }
}
