using System.Security.Cryptography;
using Bundler.Loader.Format;

namespace Bundler.Loader.Trust;

/// <summary>
/// A bundle's integrity: an SRI string (<c>sha256-</c>, <c>sha384-</c> or <c>sha512-</c> and the Base64 of the digest)
/// of its manifest JSON, the exact bytes inside the manifest frame and in a publish folder's <c>manifest.json</c>. The
/// manifest holds every file's sha256, every frame's size and every original archive's integrity, so this one digest
/// pins the whole bundle in every load mode (docs/FORMAT.md §13).
/// </summary>
internal static class ManifestIntegrity
{
    /// <summary>The integrity <c>pack</c> reports: <c>sha256-</c> and the Base64 of the manifest JSON's SHA-256.</summary>
    public static string Compute(ReadOnlySpan<byte> manifestJson) => SubresourceIntegrity.Format(HashAlgorithmName.SHA256, SHA256.HashData(manifestJson));

    /// <summary>Why <paramref name="value"/> is not an integrity string, or null when it is.</summary>
    public static string? Problem(string value) => SubresourceIntegrity.TryParse(value, out _, out _)
        ? null
        : $"'{value}' is not an integrity: give sha256-, sha384- or sha512- followed by the Base64 of the digest, as pack prints it";

    /// <summary>The digest algorithm of the integrity <paramref name="expected"/>.</summary>
    public static HashAlgorithmName AlgorithmOf(string expected) => Parse(expected).Algorithm;

    /// <summary>Whether <paramref name="actual"/>, the manifest JSON's digest with the algorithm of <paramref name="expected"/>, is that one; and the integrity it makes.</summary>
    public static (bool Matches, string Actual) Check(byte[] actual, string expected)
    {
        var (algorithm, digest) = Parse(expected);
        return (CryptographicOperations.FixedTimeEquals(actual, digest), SubresourceIntegrity.Format(algorithm, actual));
    }

    private static (HashAlgorithmName Algorithm, byte[] Digest) Parse(string expected) =>
        SubresourceIntegrity.TryParse(expected, out var algorithm, out var digest)
            ? (algorithm, digest)
            : throw new ArgumentException(Problem(expected), nameof(expected));
}
