using System.IO.Enumeration;
using NuGet.Versioning;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Core.Sources.Folder;

/// <summary>
/// Packages from a folder of archives named <c>&lt;id&gt;.&lt;version&gt;.&lt;ext&gt;</c>: the version starts at the
/// first '.' followed by a digit whose remainder parses as a NuGet version (so <c>Newtonsoft.Json.13.0.3.nupkg</c> is
/// Newtonsoft.Json 13.0.3). Files without an archive extension are ignored.
/// </summary>
public static class FolderArchiveScanner
{
    private static readonly string[] ArchiveExtensions =
        [".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".nupkg", ".zip", ".whl", ".tgz", ".txz", ".tbz2", ".tar"];

    /// <summary>Lists the archives in <paramref name="directory"/> (not its subfolders) as packages.</summary>
    /// <param name="directory">The folder to scan.</param>
    /// <param name="keepArchive">Id patterns (<c>*</c> and <c>?</c> wildcards) of packages to keep whole.</param>
    /// <param name="include">Globs of archive paths every package keeps; none means all.</param>
    /// <param name="exclude">Globs of archive paths every package leaves out.</param>
    public static IReadOnlyList<PackageInput> Scan(string directory, IReadOnlyList<string>? keepArchive = null, IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null)
    {
        if (!Directory.Exists(directory))
        {
            throw new BundleException($"The folder '{directory}' does not exist.");
        }

        var packages = new List<PackageInput>();
        foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(path);
            var extension = ArchiveExtensions.FirstOrDefault(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase));
            if (extension is null)
            {
                continue;
            }

            RegularFile.Length(path, "The archive", () => new BundleException($"The archive '{path}' disappeared while the folder '{directory}' was read."));
            var (id, version) = ParseName(fileName[..^extension.Length])
                ?? throw new BundleException($"The archive '{path}' is not named <id>.<version>{extension} (for example Newtonsoft.Json.13.0.3.nupkg); rename it so that its id and version can be read.");
            packages.Add(new PackageInput
            {
                Id = id,
                Version = version,
                ArchivePath = Path.GetFullPath(path),
                KeepArchive = keepArchive?.Any(pattern => FileSystemName.MatchesSimpleExpression(pattern, id, ignoreCase: true)) ?? false,
                Include = include ?? [],
                Exclude = exclude ?? [],
            });
        }

        if (packages.Count == 0)
        {
            throw new BundleException($"The folder '{directory}' holds no archives (.nupkg, .zip, .whl, .tgz, .tar.gz, .tar.xz, .tar.bz2, .tar.zst, .tar).");
        }

        return packages;
    }

    /// <summary>Splits <c>id.version</c> at the first '.' followed by a digit where the rest is a NuGet version.</summary>
    internal static (string Id, string Version)? ParseName(string name)
    {
        for (var i = name.IndexOf('.', StringComparison.Ordinal); i > 0 && i < name.Length - 1; i = name.IndexOf('.', i + 1))
        {
            if (char.IsAsciiDigit(name[i + 1]) && NuGetVersion.TryParse(name[(i + 1)..], out _))
            {
                return (name[..i], name[(i + 1)..]);
            }

            if (i == name.Length - 1)
            {
                break;
            }
        }

        return null;
    }
}
