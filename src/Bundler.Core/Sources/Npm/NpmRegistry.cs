using System.Collections.Concurrent;
using Bundler.Loader;

namespace Bundler.Core.Sources.Npm;

/// <summary>An npm registry: one packument per package name, fetched once (the abbreviated form when the registry has it).</summary>
internal sealed class NpmRegistry(Uri root, SourceHttp http)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<NpmPackument?>>> _packuments = new(StringComparer.Ordinal);

    private const string AbbreviatedPackument = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8";

    public Uri Root => root;

    public Task<NpmPackument?> GetPackumentAsync(string name, CancellationToken cancellationToken) =>
        _packuments.GetOrAdd(name, _ => new Lazy<Task<NpmPackument?>>(
            () => http.GetJsonAsync(PackumentUrl(name), NpmJsonContext.Default.NpmPackument, cancellationToken, AbbreviatedPackument))).Value;

    public Uri PackumentUrl(string name)
    {
        if (name.Length == 0 || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('.') || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new BundleException($"Source '{http.SourceName}': '{name}' is not an npm package name.");
        }

        // Scoped names keep their '@' and escape the '/': @scope%2fname, as npm requests them.
        return new Uri(root, name.StartsWith('@') ? "@" + Uri.EscapeDataString(name[1..]) : Uri.EscapeDataString(name));
    }
}
