using System.Security.Cryptography;
using Bundler.Core.IO;
using Bundler.Loader;
using Bundler.Loader.IO;

namespace Bundler.Core.Download;

/// <summary>
/// A content hash: an algorithm and its digest, read from and written as SRI. sha512, sha384 and sha256 are preferred;
/// sha1 is accepted because old npm packuments publish nothing stronger.
/// </summary>
internal sealed class ContentHash
{
    /// <summary>What a malformed hash is told it should have been.</summary>
    public const string Expected = "sha512-, sha384-, sha256- or sha1- followed by the base64 hash";

    private static readonly string[] Strongest = ["sha512", "sha384", "sha256", "sha1"];

    private readonly byte[] _digest;

    public ContentHash(string algorithm, byte[] digest)
    {
        Algorithm = algorithm;
        _digest = digest;
    }

    /// <summary>Lower-case algorithm name: sha512, sha384, sha256 or sha1.</summary>
    public string Algorithm { get; }

    public string Sri => Algorithm + "-" + Convert.ToBase64String(_digest);

    public string Hex => Convert.ToHexStringLower(_digest);

    public static HashAlgorithmName ToName(string algorithm) => algorithm switch
    {
        "sha512" => HashAlgorithmName.SHA512,
        "sha384" => HashAlgorithmName.SHA384,
        "sha256" => HashAlgorithmName.SHA256,
        "sha1" => HashAlgorithmName.SHA1,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported hash algorithm."),
    };

    public IncrementalHash CreateHasher() => IncrementalHash.CreateHash(ToName(Algorithm));

    public static ContentHash From(string algorithm, IncrementalHash hasher) => new(algorithm, hasher.GetHashAndReset());

    public bool Matches(ContentHash other) =>
        Algorithm == other.Algorithm && CryptographicOperations.FixedTimeEquals(_digest, other._digest);

    /// <summary>
    /// The sha512 of an archive file as SRI (<c>sha512-&lt;base64&gt;</c>), the form npm and NuGet publish archive hashes
    /// in. Special files are refused before they are opened, and reading stops at the length the file had when it was
    /// looked at, so a file that keeps growing cannot be hashed for ever.
    /// </summary>
    public static async Task<string> Sha512OfFileAsync(string path, CancellationToken cancellationToken)
    {
        var length = RegularFile.Length(path, "The archive", () => new BundleException($"The archive '{path}' does not exist."));
        await using var stream = new SizeLimitedStream(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous),
            length,
            () => new BundleException($"The archive '{path}' grew past its length of {length} bytes while it was hashed; let whatever writes it finish, then run again."));
        return new ContentHash("sha512", await SHA512.HashDataAsync(stream, cancellationToken)).Sri;
    }

    /// <summary>A hash published as hex (npm's <c>shasum</c>, a pyodide lock's <c>sha256</c>).</summary>
    public static ContentHash FromHex(string algorithm, string hex) => new(algorithm, Convert.FromHexString(hex));

    /// <summary>
    /// Reads an SRI string; of several space-separated hashes the strongest supported one wins (md5 is ignored).
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
        "sha256" => 32,
        _ => 20,
    };

    public override string ToString() => Sri;
}
