using System.Text.Json;
using Microsoft.Build.Framework;
using Bundler.Build.Diagnostics;
using Bundler.Core.Pipeline;
using Bundler.Core.Resolution;
using Bundler.Loader;
using Bundler.Loader.Http;

namespace Bundler.Build.Items;

/// <summary>
/// Packages from nuget, npm, pyodide-lock, urls and project sources: their items are written as a package set
/// (<c>obj/…/bundler/bundle.json</c>, the same model as a bundle.json), resolved through its own lock beside it (so
/// an unchanged build asks the network nothing). <c>WriteBundle</c> downloads their archives into the cache, verified,
/// through the same pipeline as <c>pack bundle.json</c>: each package is written as its archive arrives. Project
/// sources are resolved in a set of their own (restore runs each time, as for bundle.json); their archives are the
/// .nupkg files restore put in its packages folder, written in place as folder packages are, so writing the bundle
/// does not restore again. The project's lock file and locked mode hold the result as they hold folder packages.
/// </summary>
internal static class RemotePackageSet
{
    /// <param name="packages">The <c>BundlePackage</c> items of these sources (a project source's have no version).</param>
    /// <param name="sources">The <c>BundleSource</c> items of the set; a project source with no package takes all restore takes.</param>
    /// <param name="projectDirectory">The folder relative paths in items are relative to.</param>
    /// <param name="workDirectory">Where the set and its lock are written.</param>
    /// <param name="cancellationToken">Stops resolving.</param>
    public static async Task<IReadOnlyList<ResolvedItem>> ResolveAsync(
        IReadOnlyList<(ITaskItem Item, string Id, string Version, ITaskItem Source)> packages,
        IReadOnlyList<ITaskItem> sources,
        string projectDirectory,
        string workDirectory,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workDirectory);
        var path = Path.Combine(workDirectory, "bundle.json");
        var json = Write(packages, sources, projectDirectory);
        var existing = File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
        if (existing is null || !existing.AsSpan().SequenceEqual(json))
        {
            await File.WriteAllBytesAsync(path, json, cancellationToken);
        }

        ResolvedSet resolved;
        try
        {
            resolved = await PackageSetPacker.ResolveAsync(path, new PackageSetPackOptions(), cancellationToken);
        }
        catch (BundleException ex)
        {
            throw new BundleBuildException(DiagnosticCodes.ResolutionFailed, $"The BundlePackage items could not be resolved: {ex.Message} (the items are written as {path}).");
        }

        var shared = ResolvedPackageInput.SharedArchiveNames(resolved.Packages);
        return [.. resolved.Packages.Select(p => p.ArchiveUrl.IsFile
            ? new ResolvedItem(ResolvedPackageInput.From(p, p.ArchiveUrl.LocalPath, verifiedIntegrity: null, shared), p)
            : new ResolvedItem(ResolvedPackageInput.From(p, archivePath: "", verifiedIntegrity: null, shared), p, path))];
    }

    private static byte[] Write(IReadOnlyList<(ITaskItem Item, string Id, string Version, ITaskItem Source)> packages, IReadOnlyList<ITaskItem> sources, string projectDirectory)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("sources");
            foreach (var source in sources)
            {
                var type = source.GetMetadata("Type").Trim().ToLowerInvariant();
                json.WriteStartObject(source.ItemSpec.Trim());
                json.WriteString("type", type);
                String(json, "path", type == SourceDefinition.Project ? FullPath(source.GetMetadata("Path"), projectDirectory) : "");
                String(json, "url", source.GetMetadata("Url"));
                String(json, "config", FullPath(source.GetMetadata("Config"), projectDirectory));
                String(json, "lock", HttpUrls.TryParse(source.GetMetadata("Lock").Trim(), out _) ? source.GetMetadata("Lock") : FullPath(source.GetMetadata("Lock"), projectDirectory));
                String(json, "baseUrl", source.GetMetadata("BaseUrl"));
                String(json, "targetFramework", source.GetMetadata("TargetFramework"));
                Boolean(json, "transitive", source.GetMetadata("Transitive"));
                Boolean(json, "keepArchive", source.GetMetadata("KeepArchive"));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("packages");
            foreach (var (item, id, version, source) in packages)
            {
                json.WriteStartObject();
                json.WriteString("source", source.ItemSpec.Trim());
                json.WriteString("id", id);
                String(json, "version", version);
                String(json, "url", item.GetMetadata("Url"));
                String(json, "integrity", item.GetMetadata("Integrity"));
                Globs(json, "include", ItemMetadata.Globs(item, "Include"));
                Globs(json, "exclude", ItemMetadata.Globs(item, "Exclude"));
                Boolean(json, "keepArchive", item.GetMetadata("KeepArchive"));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void String(Utf8JsonWriter json, string name, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            json.WriteString(name, value.Trim());
        }
    }

    private static void Boolean(Utf8JsonWriter json, string name, string value)
    {
        if (bool.TryParse(value.Trim(), out var flag))
        {
            json.WriteBoolean(name, flag);
        }
    }

    private static void Globs(Utf8JsonWriter json, string name, string[] globs)
    {
        if (globs.Length > 0)
        {
            json.WriteStartArray(name);
            foreach (var glob in globs)
            {
                json.WriteStringValue(glob);
            }

            json.WriteEndArray();
        }
    }

    private static string FullPath(string value, string projectDirectory) =>
        string.IsNullOrWhiteSpace(value) ? "" : Path.GetFullPath(value.Trim(), projectDirectory);
}
