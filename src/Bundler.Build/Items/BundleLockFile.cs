using System.Text.Json;
using Bundler.Build.Diagnostics;
using Bundler.Core.Download;
using Bundler.Core.IO;
using Bundler.Core.Resolution.Locking;
using Bundler.Core.Writing;
using Bundler.Loader.Format;

namespace Bundler.Build.Items;

/// <summary>
/// <c>bundle.lock.json</c>: the exact package set a bundle was made from (id, version, source, archive name and its
/// sha512 integrity), so that <c>BundlerLockedMode</c> can refuse a build whose items now resolve to anything else.
/// </summary>
internal sealed record BundleLockFile
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required IReadOnlyList<LockedPackage> Packages { get; init; }

    public static BundleLockFile FromManifest(Manifest manifest) => new()
    {
        Packages = [.. manifest.Packages.Select(p => new LockedPackage(p.Id, p.Version, p.Source, p.Archive.Name, p.Archive.Integrity))],
    };

    public static async Task<BundleLockFile> FromInputsAsync(IEnumerable<PackageInput> packages, CancellationToken cancellationToken)
    {
        var locked = new List<LockedPackage>();
        // The lock is written from the manifest, where NuGet packages already have their lower-case id and normalized version.
        foreach (var package in packages.Select(NuGetLayoutWriter.Normalize).OrderBy(p => p.Folder, StringComparer.Ordinal))
        {
            var integrity = package.VerifiedSha512 ?? await ContentHash.Sha512OfFileAsync(package.ArchivePath, cancellationToken);
            locked.Add(new LockedPackage(package.Id, package.Version, package.Source, Path.GetFileName(package.ArchivePath), integrity));
        }

        return new BundleLockFile { Packages = locked };
    }

    public static async Task<BundleLockFile?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        try
        {
            var lockFile = await JsonSerializer.DeserializeAsync(stream, LockFileJsonContext.Relaxed.BundleLockFile, cancellationToken);
            return lockFile is { Version: CurrentVersion } ? lockFile : throw new JsonException($"version {lockFile?.Version} is not {CurrentVersion}");
        }
        catch (JsonException ex)
        {
            throw new BundleBuildException(DiagnosticCodes.LockFileMismatch,
                $"The lock file '{path}' cannot be read ({ex.Message}); delete it and build once without BundlerLockedMode to write it again.");
        }
    }

    /// <summary>Writes the lock file beside its destination under a temporary name, then renames it over it.</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        using var file = new AtomicFile(path);
        await JsonSerializer.SerializeAsync(file.Stream, this, LockFileJsonContext.Relaxed.BundleLockFile, cancellationToken);
        file.Commit();
    }

    /// <summary>How <paramref name="actual"/> differs from this lock, one line per package; empty when it does not.</summary>
    public IReadOnlyList<string> Differences(BundleLockFile actual)
    {
        var expected = Packages.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        var differences = new List<string>();
        foreach (var package in actual.Packages)
        {
            if (!expected.Remove(package.Id, out var locked))
            {
                differences.Add($"{package.Id} {package.Version} is not in the lock file");
            }
            else if (locked != package)
            {
                differences.Add(locked.Version != package.Version
                    ? $"{package.Id} resolves to {package.Version}, the lock file has {locked.Version}"
                    : $"{package.Id} {package.Version}: the archive '{package.Archive}' ({package.Integrity}) differs from the locked '{locked.Archive}' ({locked.Integrity})");
            }
        }

        differences.AddRange(expected.Values.Select(p => $"{p.Id} {p.Version} is in the lock file but no longer a BundlePackage"));
        return differences;
    }
}
