using NuGet.Versioning;
using Bundler.Core.Archives;
using Bundler.Loader;
using Bundler.Loader.Format;

namespace Bundler.Core.Writing;

/// <summary>Applies <see cref="PackageInput.NuGetLayout"/> when planning a package (the layout itself: <see cref="NuGetLayout"/>).</summary>
internal static class NuGetLayoutWriter
{
    /// <summary>The input with the id in lower case and the version normalized, as NuGet names the folders.</summary>
    public static PackageInput Normalize(PackageInput input)
    {
        if (!input.NuGetLayout)
        {
            return input;
        }

        if (!NuGetVersion.TryParse(input.Version, out var version))
        {
            throw new BundleException($"{input.Id} {input.Version} (archive '{input.ArchivePath}') asks for the NuGet layout, but '{input.Version}' is not a NuGet version.");
        }

        return input with { Id = input.Id.ToLowerInvariant(), Version = version.ToNormalizedString().ToLowerInvariant() };
    }

    /// <summary>The files of a NuGet-layout package: packaging parts left out, the nuspec renamed, the two generated files added.</summary>
    public static List<SourceEntry> Apply(PackageInput input, IEnumerable<SourceEntry> files, string integrity, string? contentHash)
    {
        var result = new List<SourceEntry>();
        foreach (var file in files)
        {
            if (NuGetLayout.IsPackagingFile(file.Path))
            {
                continue;
            }

            result.Add(NuGetLayout.IsNuspec(file.Path)
                ? file with { Path = NuGetLayout.NuspecPath(input.Id), From = file.Path, Mode = BundleFormat.RegularFileMode }
                : file);
        }

        foreach (var kind in new[] { NuGetLayout.Sha512File, NuGetLayout.MetadataFile })
        {
            var content = NuGetLayout.GeneratedContent(kind, integrity, contentHash);
            var path = NuGetLayout.GeneratedPath(kind, input.Id, input.Version);
            result.Add(new SourceEntry(path, content.Length, BundleFormat.RegularFileMode, path, Generated: kind, Content: content));
        }

        return result.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
    }
}
