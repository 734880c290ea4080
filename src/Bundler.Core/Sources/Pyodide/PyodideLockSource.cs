using System.Text.Json;
using System.Text.RegularExpressions;
using NuGet.Versioning;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Loader;
using Bundler.Loader.IO;
using Bundler.Loader.Http;

namespace Bundler.Core.Sources.Pyodide;

/// <summary>
/// A <c>pyodide-lock</c> source: packages of a pyodide-lock.json (a local file or a URL), with their <c>depends</c>
/// closure unless <c>transitive</c> is false. Wheels are found at the source's base URL plus the lock's
/// <c>file_name</c>, carry the lock's sha256 as integrity and are kept whole by default (micropip installs them later).
/// </summary>
internal sealed partial class PyodideLockSource(SourceSpec spec, HttpClient client) : IPackageSource
{
    private readonly SourceHttp _http = new(client, spec.Name);

    public async Task<IReadOnlyList<ResolvedPackage>> ResolveAsync(IReadOnlyList<PackageRequest> requests, CancellationToken cancellationToken)
    {
        var lockFile = await LoadAsync(cancellationToken);
        var packages = new Dictionary<string, (string Key, PyodideLockPackage Package)>(StringComparer.Ordinal);
        foreach (var (key, package) in lockFile.Packages ?? [])
        {
            packages.TryAdd(Normalize(key), (key, package));
            if (package.Name is { } name)
            {
                packages.TryAdd(Normalize(name), (key, package));
            }
        }

        var direct = requests.ToDictionary(r => Normalize(r.Id), StringComparer.Ordinal);
        var chosen = new Dictionary<string, ResolvedPackage>(StringComparer.Ordinal);
        var queue = new Queue<(string Name, string? RequiredBy)>(requests.Select(r => (r.Id, (string?)null)));
        while (queue.TryDequeue(out var item))
        {
            var normalized = Normalize(item.Name);
            if (!packages.TryGetValue(normalized, out var found))
            {
                throw new BundleException($"Package '{item.Name}'{(item.RequiredBy is null ? "" : $" (required by {item.RequiredBy})")} is not in the pyodide-lock.json of source '{spec.Name}' ({spec.LockLocation}).");
            }

            if (chosen.ContainsKey(found.Key))
            {
                continue;
            }

            var (key, package) = found;
            direct.TryGetValue(normalized, out var request);
            var version = package.Version ?? throw Invalid($"package '{key}' has no version");
            if (request?.Version is { } wanted && !Matches(request.Ranges[0], wanted, version))
            {
                throw new BundleException($"{request.Location}: source '{spec.Name}' has {key} {version}, which does not satisfy '{wanted}'; a pyodide-lock.json holds one version of each package.");
            }

            chosen[found.Key] = new ResolvedPackage
            {
                Source = spec.Name,
                SourceKind = SourceKind.PyodideLock,
                Id = package.Name ?? key,
                Version = version,
                ArchiveUrl = WheelUrl(key, package),
                Integrity = package.Sha256 is { } sha256 && Sha256Pattern().IsMatch(sha256)
                    ? ContentHash.FromHex("sha256", sha256).Sri
                    : throw Invalid($"package '{key}' has no valid sha256"),
                KeepArchive = request?.KeepArchive ?? spec.KeepArchive,
                Include = request?.Include ?? [],
                Exclude = request?.Exclude ?? [],
                Direct = request is not null,
            };
            if (spec.Transitive)
            {
                foreach (var dependency in package.Depends ?? [])
                {
                    queue.Enqueue((dependency, $"{key} {version}"));
                }
            }
        }

        return [.. chosen.Values];
    }

    private static bool Matches(VersionRange range, string wanted, string version) =>
        NuGetVersion.TryParse(version, out var parsed) ? range.Satisfies(parsed) : string.Equals(wanted, version, StringComparison.OrdinalIgnoreCase);

    private Uri WheelUrl(string key, PyodideLockPackage package)
    {
        var fileName = package.FileName ?? throw Invalid($"package '{key}' has no file_name");
        if (HttpUrls.TryParse(fileName, out var absolute))
        {
            return absolute;
        }

        if (fileName.Contains("..", StringComparison.Ordinal) || fileName.StartsWith('/') || fileName.Contains('\\', StringComparison.Ordinal) || fileName.Contains(':', StringComparison.Ordinal))
        {
            throw Invalid($"package '{key}' has file_name '{fileName}', which leaves the base URL");
        }

        return new Uri(spec.BaseUrl!, string.Join('/', fileName.Split('/').Select(Uri.EscapeDataString)));
    }

    private async Task<PyodideLockDocument> LoadAsync(CancellationToken cancellationToken)
    {
        var location = spec.LockLocation!;
        try
        {
            if (HttpUrls.TryParse(location, out var url))
            {
                return await _http.GetJsonAsync(url, PyodideJsonContext.Default.PyodideLockDocument, cancellationToken)
                    ?? throw new BundleException($"Source '{spec.Name}': there is no pyodide-lock.json at {url} (404).");
            }

            RegularFile.Length(location, $"Source '{spec.Name}': the pyodide-lock.json", () => new BundleException($"Source '{spec.Name}': the pyodide-lock.json '{location}' does not exist."));

            await using var stream = File.OpenRead(location);
            return await JsonSerializer.DeserializeAsync(stream, PyodideJsonContext.Default.PyodideLockDocument, cancellationToken)
                ?? throw Invalid("it holds null");
        }
        catch (JsonException ex)
        {
            throw new BundleException($"{location}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: source '{spec.Name}': not a valid pyodide-lock.json ({ex.Message}).", ex);
        }
    }

    private BundleException Invalid(string what) => new($"Source '{spec.Name}': the pyodide-lock.json at {spec.LockLocation} is not valid: {what}.");

    /// <summary>PEP 503: lower case, runs of '-', '_' and '.' as one '-'.</summary>
    private static string Normalize(string name) => SeparatorPattern().Replace(name.ToLowerInvariant(), "-");

    [GeneratedRegex("[-_.]+")]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
