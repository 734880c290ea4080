using System.Text.Json;
using Bundler.Loader.Format;
using Bundler.Loader.IO;

namespace Bundler.Loader.Loading.Updates;

/// <summary>
/// What the last load placed in its target, kept inside it as <c>.bundler-load/record.json</c> and moved into place
/// with the packages it describes, so that the next load can keep the packages whose content has not changed. The
/// record is read as hostile: one that cannot be parsed or names an unsafe folder is ignored (with a warning), and
/// every package is then fetched again.
/// </summary>
internal sealed record LoadRecord
{
    /// <summary>The record's folder in the target; a package id of this name is refused.</summary>
    public const string FolderName = ".bundler-load";

    public const string FileName = "record.json";

    private const int CurrentVersion = 1;

    public required int Version { get; init; }

    /// <summary>Length of the manifest frame at the head of the bundle last loaded, when it was read from the bundle.</summary>
    public long? ManifestFrameSize { get; init; }

    /// <summary>The package folders placed, ordered by folder (ordinal).</summary>
    public required IReadOnlyList<RecordedPackage> Packages { get; init; }

    public static string PathIn(string root) => Path.Combine(root, FolderName, FileName);

    public static LoadRecord Create(long? manifestFrameSize, IEnumerable<RecordedPackage> packages) => new()
    {
        Version = CurrentVersion,
        ManifestFrameSize = manifestFrameSize,
        Packages = [.. packages.OrderBy(p => p.Folder, StringComparer.Ordinal)],
    };

    /// <summary>The record in <paramref name="target"/>, or null when there is none or it cannot be trusted (then with a warning).</summary>
    public static LoadRecord? Read(string target, LoadMetrics metrics)
    {
        var path = PathIn(target);
        string? problem;
        LoadRecord? record = null;
        try
        {
            var length = RegularFile.LengthOrNull(path, "The load record");
            if (length is null)
            {
                return null;
            }

            if (length > BundleFormat.MaxManifestJsonSize)
            {
                problem = $"it is longer than {BundleFormat.MaxManifestJsonSize} bytes";
            }
            else
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                record = JsonSerializer.Deserialize(file, LoadRecordJsonContext.Default.LoadRecord);
                problem = record is null ? "it is empty" : Problem(record);
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or BundleException)
        {
            problem = ex.Message;
        }

        if (problem is null)
        {
            return record;
        }

        metrics.Warn($"The load record '{path}' cannot be used ({problem}); every package is fetched again.");
        return null;
    }

    /// <summary>
    /// Writes the record into the staged tree at <paramref name="stagingRoot"/>, to be moved in with it; streamed to
    /// the file, as it is read back, since the record of a large set is as long as its manifest.
    /// </summary>
    public void Write(string stagingRoot)
    {
        var path = PathIn(stagingRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        JsonSerializer.Serialize(file, this, LoadRecordJsonContext.Default.LoadRecord);
    }

    private static string? Problem(LoadRecord record)
    {
        if (record.Version != CurrentVersion)
        {
            return $"version {record.Version}; this loader writes version {CurrentVersion}";
        }

        if (record.Packages is null)
        {
            return "it lists no packages";
        }

        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var package in record.Packages)
        {
            if (package?.Id is null || package.Version is null || package.Files is null || package.Files.Any(f => f?.Path is null || f.Sha256 is null))
            {
                return "a package lacks its id, version or files";
            }

            if (ManifestValidator.IdentityProblem(package.Id, package.Version) is { } identity)
            {
                return $"package '{package.Folder}' has {identity}";
            }

            if (!folders.Add(package.Folder))
            {
                return $"package '{package.Folder}' is listed twice";
            }
        }

        return null;
    }
}
