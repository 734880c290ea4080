using Bundler.Loader.Format;

namespace Bundler.Loader.Loading;

/// <summary>Picks packages of a manifest by id (or <c>id/version</c>), and the frames a subset needs.</summary>
internal static class PackageSelection
{
    /// <summary>The manifest's packages named in <paramref name="names"/>, in manifest order; all when none are named.</summary>
    public static IReadOnlyList<PackageEntry> Select(Manifest manifest, IReadOnlyCollection<string>? names, string location)
    {
        if (names is null || names.Count == 0)
        {
            return manifest.Packages;
        }

        var selected = new List<PackageEntry>();
        foreach (var package in manifest.Packages)
        {
            if (names.Any(name => Matches(package, name)))
            {
                selected.Add(package);
            }
        }

        var missing = names.Where(name => !manifest.Packages.Any(package => Matches(package, name))).ToList();
        if (missing.Count > 0)
        {
            throw new BundleException($"The bundle at '{location}' has no package {string.Join(", ", missing.Select(m => $"'{m}'"))}; it holds {string.Join(", ", manifest.Packages.Select(p => p.Folder))}.");
        }

        return selected;
    }

    /// <summary>Indexes of the frames that hold <paramref name="packages"/>, and the trailer frame.</summary>
    public static HashSet<int> FramesOf(Manifest manifest, IEnumerable<PackageEntry> packages)
    {
        var frames = new HashSet<int>();
        foreach (var package in packages)
        {
            for (var i = 0; i < package.FrameCount; i++)
            {
                frames.Add(package.FirstFrame + i);
            }
        }

        frames.Add(manifest.Frames.Count - 1);
        return frames;
    }

    private static bool Matches(PackageEntry package, string name) =>
        string.Equals(package.Id, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(package.Folder, name, StringComparison.OrdinalIgnoreCase);
}
