using System.Security.Cryptography;

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
    public static string Compute(ReadOnlySpan<byte> manifestJson) => Format(HashAlgorithmName.SHA256, SHA256.HashData(manifestJson));

    /// <inheritdoc cref="Compute(ReadOnlySpan{byte})"/>
    public static async Task<string> ComputeAsync(Stream manifestJson, CancellationToken cancellationToken) =>
        Format(HashAlgorithmName.SHA256, await SHA256.HashDataAsync(manifestJson, cancellationToken));

    /// <summary>Why <paramref name="value"/> is not an integrity string, or null when it is.</summary>
    public static string? Problem(string value) => TryParse(value, out _, out _)
        ? null
        : $"'{value}' is not an integrity: give sha256-, sha384- or sha512- followed by the Base64 of the digest, as pack prints it";

    public static bool TryParse(string value, out HashAlgorithmName algorithm, out byte[] digest)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        (algorithm, var length) = dash < 0 ? default : value[..dash] switch
        {
            "sha256" => (HashAlgorithmName.SHA256, 32),
            "sha384" => (HashAlgorithmName.SHA384, 48),
            "sha512" => (HashAlgorithmName.SHA512, 64),
            _ => default,
        };
        digest = new byte[64];
        if (length == 0 || !Convert.TryFromBase64String(value[(dash + 1)..], digest, out var written) || written != length)
        {
            digest = [];
            return false;
        }

        digest = digest[..length];
        return true;
    }

    /// <summary>The manifest's integrity with the algorithm of <paramref name="expected"/>, and whether it is that one.</summary>
    public static (bool Matches, string Actual) Check(ReadOnlySpan<byte> manifestJson, string expected)
    {
        if (!TryParse(expected, out var algorithm, out var digest))
        {
            throw new ArgumentException(Problem(expected), nameof(expected));
        }

        var actual = algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(manifestJson)
            : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(manifestJson)
            : SHA256.HashData(manifestJson);
        return (CryptographicOperations.FixedTimeEquals(actual, digest), Format(algorithm, actual));
    }

    private static string Format(HashAlgorithmName algorithm, byte[] digest) =>
        algorithm.Name!.ToLowerInvariant() + "-" + Convert.ToBase64String(digest);
}
