using System.Security.Cryptography;

namespace Bundler.Core.Download;

/// <summary>A content hash: an algorithm (sha512, sha384 or sha256) and its digest, read from and written as SRI.</summary>
internal sealed class ContentHash
{
    private static readonly string[] Strongest = ["sha512", "sha384", "sha256"];

    private readonly byte[] _digest;

    public ContentHash(string algorithm, byte[] digest)
    {
        Algorithm = algorithm;
        _digest = digest;
    }

    /// <summary>Lower-case algorithm name: sha512, sha384 or sha256.</summary>
    public string Algorithm { get; }

    public string Sri => Algorithm + "-" + Convert.ToBase64String(_digest);

    public string Hex => Convert.ToHexStringLower(_digest);

    public static HashAlgorithmName ToName(string algorithm) => algorithm switch
    {
        "sha512" => HashAlgorithmName.SHA512,
        "sha384" => HashAlgorithmName.SHA384,
        "sha256" => HashAlgorithmName.SHA256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported hash algorithm."),
    };

    public IncrementalHash CreateHasher() => IncrementalHash.CreateHash(ToName(Algorithm));

    public static ContentHash From(string algorithm, IncrementalHash hasher) => new(algorithm, hasher.GetHashAndReset());

    public bool Matches(ContentHash other) =>
        Algorithm == other.Algorithm && CryptographicOperations.FixedTimeEquals(_digest, other._digest);

    /// <summary>
    /// Reads an SRI string; of several space-separated hashes the strongest supported one wins (sha1 and md5 are ignored).
    /// </summary>
    public static bool TryParse(string? sri, out ContentHash? hash)
    {
        hash = null;
        if (string.IsNullOrWhiteSpace(sri))
        {
            return false;
        }

        var candidates = sri.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var algorithm in Strongest)
        {
            foreach (var candidate in candidates)
            {
                if (!candidate.StartsWith(algorithm + "-", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var encoded = candidate[(algorithm.Length + 1)..];
                var question = encoded.IndexOf('?', StringComparison.Ordinal);
                if (question >= 0)
                {
                    encoded = encoded[..question];
                }

                var buffer = new byte[64];
                if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written != ExpectedLength(algorithm))
                {
                    return false;
                }

                hash = new ContentHash(algorithm, buffer[..written]);
                return true;
            }
        }

        return false;
    }

    private static int ExpectedLength(string algorithm) => algorithm switch
    {
        "sha512" => 64,
        "sha384" => 48,
        _ => 32,
    };

    public override string ToString() => Sri;
}
