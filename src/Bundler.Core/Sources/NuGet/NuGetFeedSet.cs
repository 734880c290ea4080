using NuGet.Configuration;
using NuGet.Versioning;
using Bundler.Loader;

namespace Bundler.Core.Sources.NuGet;

/// <summary>
/// The feeds of one nuget source and which of them may serve which package: one feed for a <c>url</c> source; for a
/// <c>config</c> source, the nuget.config's enabled feeds, its credentials (each sent only to its own feed's host)
/// and its package source mapping, all read by NuGet.Configuration.
/// </summary>
internal sealed class NuGetFeedSet
{
    private readonly IReadOnlyList<NuGetFeed> _feeds;
    private readonly PackageSourceMapping? _mapping;

    private NuGetFeedSet(string sourceName, IReadOnlyList<NuGetFeed> feeds, PackageSourceMapping? mapping, IReadOnlyList<SourceCredential>? credentials = null)
    {
        SourceName = sourceName;
        Credentials = credentials ?? [];
        _feeds = feeds;
        _mapping = mapping;
    }

    public string SourceName { get; }

    /// <summary>The nuget.config's credentials, each for its own feed; archives are downloaded with them too.</summary>
    public IReadOnlyList<SourceCredential> Credentials { get; }

    public static NuGetFeedSet ForUrl(string sourceName, Uri serviceIndex, HttpClient client) =>
        new(sourceName, [new NuGetFeed(sourceName, serviceIndex, new SourceHttp(client, sourceName))], null);

    public static NuGetFeedSet ForConfig(string sourceName, string configPath, HttpClient client)
    {
        if (!File.Exists(configPath))
        {
            throw new BundleException($"Source '{sourceName}': the nuget.config '{configPath}' does not exist.");
        }

        ISettings settings;
        IReadOnlyList<PackageSource> packageSources;
        try
        {
            settings = Settings.LoadSpecificSettings(Path.GetDirectoryName(configPath)!, Path.GetFileName(configPath));
            packageSources = [.. new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled)];
        }
        catch (NuGetConfigurationException ex)
        {
            throw new BundleException($"Source '{sourceName}': the nuget.config '{configPath}' cannot be read: {ex.Message}", ex);
        }

        if (packageSources.Count == 0)
        {
            throw new BundleException($"Source '{sourceName}': the nuget.config '{configPath}' enables no package sources; add one under <packageSources>.");
        }

        var feeds = new List<NuGetFeed>();
        var allCredentials = new List<SourceCredential>();
        foreach (var packageSource in packageSources)
        {
            if (!packageSource.IsHttp || !Uri.TryCreate(packageSource.Source, UriKind.Absolute, out var url))
            {
                throw new BundleException($"Source '{sourceName}': feed '{packageSource.Name}' of '{configPath}' is '{packageSource.Source}'; only http(s) v3 feeds (index.json) are supported.");
            }

            SourceCredential? credential = null;
            if (packageSource.Credentials is { } credentials)
            {
                string password;
                try
                {
                    password = credentials.Password;
                }
                catch (Exception ex) when (ex is NotSupportedException or PlatformNotSupportedException or System.Security.Cryptography.CryptographicException)
                {
                    throw new BundleException($"Source '{sourceName}': the password of feed '{packageSource.Name}' in '{configPath}' is encrypted, which this platform cannot read; use ClearTextPassword with an environment variable (%VAR%).", ex);
                }

                credential = new SourceCredential(url, credentials.Username, password);
                allCredentials.Add(credential);
            }

            feeds.Add(new NuGetFeed(packageSource.Name, url, new SourceHttp(client, $"{sourceName}/{packageSource.Name}", credential)));
        }

        var mapping = PackageSourceMapping.GetPackageSourceMapping(settings);
        return new NuGetFeedSet(sourceName, feeds, mapping.IsEnabled ? mapping : null, allCredentials);
    }

    /// <summary>The feeds that may serve <paramref name="id"/>, in configuration order.</summary>
    public IReadOnlyList<NuGetFeed> FeedsFor(string id)
    {
        if (_mapping is null)
        {
            return _feeds;
        }

        var names = _mapping.GetConfiguredPackageSources(id);
        return [.. _feeds.Where(f => names.Contains(f.Name, StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>Every version of <paramref name="id"/> on its feeds, each with the first feed that has it.</summary>
    public async Task<IReadOnlyDictionary<NuGetVersion, NuGetFeed>> GetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var feeds = FeedsFor(id);
        if (feeds.Count == 0)
        {
            throw new BundleException($"Source '{SourceName}': package source mapping allows no feed for package '{id}'; add a <packageSource> pattern for it to the nuget.config.");
        }

        var lists = await Task.WhenAll(feeds.Select(f => f.GetVersionsAsync(id, cancellationToken)));
        var versions = new Dictionary<NuGetVersion, NuGetFeed>();
        for (var i = 0; i < feeds.Count; i++)
        {
            foreach (var version in lists[i])
            {
                versions.TryAdd(version, feeds[i]);
            }
        }

        return versions;
    }

    public string Describe(string id) => _mapping is null && _feeds.Count == 1
        ? $"source '{SourceName}' ({_feeds[0].ServiceIndex})"
        : $"source '{SourceName}' (feeds {string.Join(", ", FeedsFor(id).Select(f => $"{f.Name} {f.ServiceIndex}"))})";
}
