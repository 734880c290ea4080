using System.Globalization;
using System.Text;
using System.Text.Json;
using Bundler.Core.Download;
using Bundler.Core.IO;
using Bundler.Core.PackageSets;
using Bundler.Core.Sources.Project;
using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Core.Resolution.Locking;

/// <summary>
/// Reads and writes bundle.lock.json. The file is sorted (the order of <see cref="ResolvedSet"/>), indented with
/// "\n" line ends and written atomically, so the same resolution always gives the same bytes.
/// </summary>
internal static class LockFile
{
    public static async Task<LockFileDocument?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (RegularFile.LengthOrNull(path, "The lock file") is null)
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            var document = JsonSerializer.Deserialize(bytes, LockFileJsonContext.Default.LockFileDocument);
            return document?.LockVersion == LockFileDocument.CurrentVersion
                ? document
                : throw new BundleException($"{path}: lockVersion {document?.LockVersion} is not {LockFileDocument.CurrentVersion}; delete the file and resolve again.");
        }
        catch (JsonException ex)
        {
            throw new BundleException(string.Create(CultureInfo.InvariantCulture,
                $"{path}:{(ex.LineNumber ?? 0) + 1}:{(ex.BytePositionInLine ?? 0) + 1}: the lock file is not valid ({ex.Message}); delete it and resolve again."), ex);
        }
    }

    public static byte[] Serialize(LockFileDocument document) =>
        [.. JsonSerializer.SerializeToUtf8Bytes(document, LockFileJsonContext.Default.LockFileDocument), (byte)'\n'];

    public static async Task WriteAsync(string path, LockFileDocument document, CancellationToken cancellationToken)
    {
        using var file = new AtomicFile(path);
        await file.Stream.WriteAsync(Serialize(document), cancellationToken);
        file.Commit();
    }

    /// <param name="set">The resolved set.</param>
    /// <param name="bundleJsonHash">sha256 of the bundle.json it was resolved from; null for a project's lock file.</param>
    /// <param name="path">Where the lock file is: folder archives are recorded relative to it.</param>
    public static LockFileDocument From(ResolvedSet set, string? bundleJsonHash, string path) => new()
    {
        LockVersion = LockFileDocument.CurrentVersion,
        BundleJson = bundleJsonHash,
        Packages = [.. set.Packages.Select(p => new LockedPackage
        {
            Source = p.Source,
            Type = SourceKindNames.Name(p.SourceKind),
            Id = p.Id,
            Version = p.Version,
            Url = UrlOf(p, path),
            Size = p.Size,
            Integrity = p.Integrity,
            Direct = p.Direct,
            KeepArchive = p.KeepArchive,
            Include = p.Include.Count == 0 ? null : [.. p.Include],
            Exclude = p.Exclude.Count == 0 ? null : [.. p.Exclude],
        })],
    };

    public static ResolvedSet ToSet(LockFileDocument document, string path) => new(document.Packages.Select(p => new ResolvedPackage
    {
        Source = p.Source,
        SourceKind = SourceKindNames.Parse(p.Type) ?? throw new BundleException($"{path}: package '{p.Id}' has type '{p.Type}', which is not a source type; delete the file and resolve again."),
        Id = p.Id,
        Version = p.Version,
        ArchiveUrl = Uri.TryCreate(FolderOf(path), p.Url, out var url) ? url : throw new BundleException($"{path}: package '{p.Id}' has url '{p.Url}', which is not a URL; delete the file and resolve again."),
        Size = p.Size,
        Integrity = p.Integrity,
        Direct = p.Direct,
        KeepArchive = p.KeepArchive,
        Include = p.Include ?? [],
        Exclude = p.Exclude ?? [],
    }));

    /// <summary>
    /// A package's url as the lock records it. A project package's archive is in the machine's packages folder, so the
    /// lock records only its place inside that folder: the lock then holds on any machine, and --locked compares what
    /// restore chose (ids, versions, hashes), not where the packages folder is.
    /// </summary>
    private static string UrlOf(ResolvedPackage package, string path) => package.SourceKind switch
    {
        SourceKind.Project => ProjectSource.PackagePath(package.Id, package.Version),
        _ when package.ArchiveUrl.IsFile => FolderOf(path).MakeRelativeUri(package.ArchiveUrl).OriginalString,
        _ => package.ArchiveUrl.AbsoluteUri,
    };

    private static Uri FolderOf(string path) => new(Path.GetDirectoryName(Path.GetFullPath(path)) + Path.DirectorySeparatorChar);

    /// <summary>A short, line-per-change description of how <paramref name="after"/> differs from <paramref name="before"/>.</summary>
    public static string Describe(ResolvedSet before, ResolvedSet after)
    {
        static string Key(ResolvedPackage p) => $"{p.Source}: {p.Id} {p.Version}";
        var old = before.Packages.ToDictionary(Key, StringComparer.Ordinal);
        var now = after.Packages.ToDictionary(Key, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var key in old.Keys.Except(now.Keys).Order(StringComparer.Ordinal))
        {
            text.Append("\n  - ").Append(key);
        }

        foreach (var key in now.Keys.Except(old.Keys).Order(StringComparer.Ordinal))
        {
            text.Append("\n  + ").Append(key);
        }

        // A project package's archive is wherever this machine's packages folder is, which the lock does not record.
        static bool Same(ResolvedPackage a, ResolvedPackage b) => a.SourceKind == SourceKind.Project ? (a with { ArchiveUrl = b.ArchiveUrl }).Equals(b) : a.Equals(b);
        foreach (var key in now.Keys.Intersect(old.Keys).Where(k => !Same(old[k], now[k])).Order(StringComparer.Ordinal))
        {
            text.Append("\n  ~ ").Append(key).Append(" (url, size, hash or options)");
        }

        return text.ToString();
    }
}
