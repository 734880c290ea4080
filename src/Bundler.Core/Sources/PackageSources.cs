using Bundler.Core.PackageSets;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Sources.Npm;
using Bundler.Core.Sources.NuGet;
using Bundler.Core.Sources.Project;
using Bundler.Core.Sources.Pyodide;
using Bundler.Core.Sources.Urls;
using Bundler.Loader;

namespace Bundler.Core.Sources;

/// <summary>
/// The sources of a package set, on one shared <see cref="HttpClient"/>. Each nuget source's feeds are read once
/// (for a <c>config</c> source, its nuget.config), whether resolution or the downloads' credentials need them first.
/// </summary>
internal sealed class PackageSources(PackageSet set, HttpClient client)
{
    private readonly Dictionary<string, NuGetFeedSet> _nugetFeeds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PackageSet Set => set;

    public IPackageSource Create(SourceSpec spec) => spec.Kind switch
    {
        SourceKind.NuGet => new NuGetSource(spec, FeedsOf(spec)),
        SourceKind.Urls => new UrlListSource(spec),
        SourceKind.Npm => new NpmSource(spec, client),
        SourceKind.PyodideLock => new PyodideLockSource(spec, client),
        SourceKind.Folder => new FolderSource(spec),
        SourceKind.Project => new ProjectSource(spec),
        _ => throw new BundleException($"{set.FilePath}: source '{spec.Name}' is of type {spec.Kind}, which cannot be resolved yet."),
    };

    /// <summary>The credentials of every nuget.config the set names, each for its own feed.</summary>
    public IReadOnlyList<SourceCredential> Credentials() =>
        [.. set.Sources.Values.Where(s => s.Kind == SourceKind.NuGet && s.ConfigPath is not null).SelectMany(s => FeedsOf(s).Credentials)];

    private NuGetFeedSet FeedsOf(SourceSpec spec)
    {
        lock (_lock)
        {
            if (!_nugetFeeds.TryGetValue(spec.Name, out var feeds))
            {
                feeds = spec.ConfigPath is { } config
                    ? NuGetFeedSet.ForConfig(spec.Name, config, client)
                    : NuGetFeedSet.ForUrl(spec.Name, spec.Url!, client);
                _nugetFeeds[spec.Name] = feeds;
            }

            return feeds;
        }
    }
}
