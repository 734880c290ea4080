using System.Collections.Concurrent;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using Bundler.Loader;
using Bundler.Loader.Http;

namespace Bundler.Core.Sources.NuGet;

/// <summary>
/// One NuGet v3 feed: the service index names the flat container (versions, .nupkg, .nuspec) and, if the feed has
/// one, the registration (dependencies and, on some feeds, hashes). Without registration the dependencies come from
/// the .nuspec in the flat container. Every document is fetched once; concurrent callers share the request.
/// </summary>
internal sealed class NuGetFeed(string name, Uri serviceIndex, SourceHttp http)
{
    private readonly Lazy<Task<(Uri FlatContainer, Uri? Registration)>> _endpoints = new(() => LoadEndpointsAsync(serviceIndex, http));
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<NuGetVersion>>>> _versions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistrationPageDocument?>>> _registrations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string, NuGetVersion), Lazy<Task<NuGetPackageInfo>>> _packages = new();

    /// <summary>The feed's name: the source name, or the nuget.config key for a feed of a config.</summary>
    public string Name => name;

    public Uri ServiceIndex => serviceIndex;

    /// <summary>Every version the flat container lists (listed or not, as restore sees them); empty if it does not know the id.</summary>
    public Task<IReadOnlyList<NuGetVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken) =>
        _versions.GetOrAdd(id, _ => new Lazy<Task<IReadOnlyList<NuGetVersion>>>(async () =>
        {
            var (flat, _) = await _endpoints.Value;
            var document = await http.GetJsonAsync(new Uri(flat, Lower(id) + "/index.json"), NuGetJsonContext.Default.FlatVersionsDocument, cancellationToken);
            var versions = new List<NuGetVersion>();
            foreach (var text in document?.Versions ?? [])
            {
                if (NuGetVersion.TryParse(text, out var version))
                {
                    versions.Add(version);
                }
            }

            return versions;
        })).Value;

    public async Task<Uri> GetNupkgUrlAsync(string id, NuGetVersion version)
    {
        var (flat, _) = await _endpoints.Value;
        var v = version.ToNormalizedString().ToLowerInvariant();
        return new Uri(flat, $"{Lower(id)}/{v}/{Lower(id)}.{v}.nupkg");
    }

    private async Task<Uri> GetNuspecUrlAsync(string id, NuGetVersion version)
    {
        var (flat, _) = await _endpoints.Value;
        return new Uri(flat, $"{Lower(id)}/{version.ToNormalizedString().ToLowerInvariant()}/{Lower(id)}.nuspec");
    }

    public Task<NuGetPackageInfo> GetPackageAsync(string id, NuGetVersion version, CancellationToken cancellationToken) =>
        _packages.GetOrAdd((id.ToUpperInvariant(), version), _ => new Lazy<Task<NuGetPackageInfo>>(async () =>
        {
            var (_, registration) = await _endpoints.Value;
            return registration is null
                ? await ReadNuspecAsync(id, version, cancellationToken)
                : await ReadRegistrationAsync(registration, id, version, cancellationToken);
        })).Value;

    private async Task<NuGetPackageInfo> ReadRegistrationAsync(Uri registration, string id, NuGetVersion version, CancellationToken cancellationToken)
    {
        var index = await _registrations.GetOrAdd(id, _ => new Lazy<Task<RegistrationPageDocument?>>(
            () => http.GetJsonAsync(new Uri(registration, Lower(id) + "/index.json"), NuGetJsonContext.Default.RegistrationPageDocument, cancellationToken))).Value;
        foreach (var page in index?.Items ?? [])
        {
            if (!InPage(page, version))
            {
                continue;
            }

            var items = page.Items;
            if (items is null && page.Id is not null)
            {
                var full = await http.GetJsonAsync(ResolveUrl(page.Id), NuGetJsonContext.Default.RegistrationPageDocument, cancellationToken);
                items = full?.Items;
            }

            foreach (var leaf in items ?? [])
            {
                if (leaf.CatalogEntry is { Version: { } text } entry && NuGetVersion.TryParse(text, out var leafVersion) && leafVersion == version)
                {
                    var sha512 = entry.PackageHashAlgorithm is { } algorithm && algorithm.Equals("SHA512", StringComparison.OrdinalIgnoreCase) ? entry.PackageHash : null;

                    // Feeds omit dependencyGroups both for packages without dependencies and in trimmed registrations;
                    // only the .nuspec tells them apart.
                    return entry.DependencyGroups is null
                        ? await ReadNuspecAsync(id, version, cancellationToken) with { Sha512 = sha512, Size = entry.PackageSize }
                        : new NuGetPackageInfo(version, [.. entry.DependencyGroups.Select(g => ToGroup(g, id, version))], sha512, entry.PackageSize);
                }
            }
        }

        // The registration may lag the flat container; the .nuspec is the package's own word.
        return await ReadNuspecAsync(id, version, cancellationToken);
    }

    private async Task<NuGetPackageInfo> ReadNuspecAsync(string id, NuGetVersion version, CancellationToken cancellationToken)
    {
        var url = await GetNuspecUrlAsync(id, version);
        string? sha512 = null;
        long? size = null;
        System.Xml.Linq.XDocument xml;
        try
        {
            await using var stream = await http.GetStreamAsync(url, cancellationToken);
            if (stream is not null)
            {
                xml = await System.Xml.Linq.XDocument.LoadAsync(stream, System.Xml.Linq.LoadOptions.None, cancellationToken);
            }
            else
            {
                // Some mirrors serve only the .nupkg; its .nuspec is the same document, and its hash comes for free.
                url = await GetNupkgUrlAsync(id, version);
                (xml, sha512, size) = await NupkgNuspec.ReadAsync(http, url, $"{id} {version}", cancellationToken);
            }
        }
        catch (System.Xml.XmlException ex)
        {
            throw new BundleException($"Source '{name}': the .nuspec of {id} {version} at {url} is not valid XML ({ex.Message}).", ex);
        }

        try
        {
            var groups = new NuspecReader(xml).GetDependencyGroups(useStrictVersionCheck: false).ToList();
            return new NuGetPackageInfo(version, groups, sha512, size);
        }
        catch (Exception ex) when (ex is PackagingException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new BundleException($"Source '{name}': the .nuspec of {id} {version} at {url} cannot be read ({ex.Message}).", ex);
        }
    }

    private PackageDependencyGroup ToGroup(RegistrationDependencyGroup group, string id, NuGetVersion version)
    {
        var framework = string.IsNullOrEmpty(group.TargetFramework) ? NuGetFramework.AnyFramework : NuGetFramework.Parse(group.TargetFramework);
        var dependencies = new List<PackageDependency>();
        foreach (var dependency in group.Dependencies ?? [])
        {
            if (string.IsNullOrWhiteSpace(dependency.Id))
            {
                throw new BundleException($"Source '{name}': the registration of {id} {version} lists a dependency without an id.");
            }

            var range = string.IsNullOrWhiteSpace(dependency.Range) ? VersionRange.All
                : VersionRange.TryParse(dependency.Range, out var parsed) ? parsed
                : throw new BundleException($"Source '{name}': {id} {version} depends on {dependency.Id} '{dependency.Range}', which is not a version range.");
            dependencies.Add(new PackageDependency(dependency.Id, range));
        }

        return new PackageDependencyGroup(framework, dependencies);
    }

    private static bool InPage(RegistrationPageDocument page, NuGetVersion version) =>
        (page.Lower is null || !NuGetVersion.TryParse(page.Lower, out var lower) || version >= lower)
        && (page.Upper is null || !NuGetVersion.TryParse(page.Upper, out var upper) || version <= upper);

    private Uri ResolveUrl(string text) =>
        HttpUrls.TryParse(text, out var url, serviceIndex)
            ? url
            : throw new BundleException($"Source '{name}': the feed points at '{text}', which is not an http(s) URL.");

    private static async Task<(Uri, Uri?)> LoadEndpointsAsync(Uri serviceIndex, SourceHttp http)
    {
        var index = await http.GetJsonAsync(serviceIndex, NuGetJsonContext.Default.ServiceIndexDocument, CancellationToken.None)
            ?? throw new BundleException($"Source '{http.SourceName}': there is no NuGet service index at {serviceIndex} (404); use the feed's v3 index.json URL.");
        Uri? Find(params string[] types)
        {
            foreach (var type in types)
            {
                var resource = index.Resources?.FirstOrDefault(r => string.Equals(r.Type, type, StringComparison.Ordinal) && r.Id is not null);
                if (resource is not null)
                {
                    if (!HttpUrls.TryParse(resource.Id, out var url, serviceIndex))
                    {
                        throw new BundleException($"Source '{http.SourceName}': the service index at {serviceIndex} gives '{resource.Id}' for {type}, which is not an http(s) URL.");
                    }

                    return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
                }
            }

            return null;
        }

        var flat = Find("PackageBaseAddress/3.0.0")
            ?? throw new BundleException($"Source '{http.SourceName}': the service index at {serviceIndex} has no PackageBaseAddress/3.0.0 (flat container) resource; it is not a NuGet v3 feed this tool can read.");
        var registration = Find("RegistrationsBaseUrl/3.6.0", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl/Versioned", "RegistrationsBaseUrl/3.0.0-rc", "RegistrationsBaseUrl/3.0.0-beta", "RegistrationsBaseUrl");
        return (flat, registration);
    }

    private static string Lower(string id) => Uri.EscapeDataString(id.ToLowerInvariant());
}
