using System.Diagnostics.CodeAnalysis;
using Microsoft.Build.Framework;
using Bundler.Loader;
using Bundler.Loader.Unpacking;

namespace Bundler.Build.Tasks;

/// <summary>
/// Reads the integrity of a bundle already written (also when <see cref="WriteBundle"/> was skipped as up to date), so
/// the build can hand it to the application it compiles.
/// </summary>
public sealed class ReadBundleIntegrity : BundlerTask
{
    /// <summary>The bundle (<c>.tar.zst</c>).</summary>
    [Required, NotNull]
    public string? BundlePath { get; set; }

    /// <summary>The bundle's integrity, as <c>pack</c> reports it.</summary>
    [Output]
    public string? Integrity { get; private set; }

    private protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var bundle = new FileStream(BundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            Integrity = await BundleReader.ReadIntegrityAsync(bundle, cancellationToken: cancellationToken);
        }
        catch (BundleException ex)
        {
            throw new BundleException($"{BundlePath}: {ex.Message}", ex);
        }
    }
}
