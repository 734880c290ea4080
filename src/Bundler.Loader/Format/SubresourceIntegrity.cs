using System.Security.Cryptography;

namespace Bundler.Loader.Format;

/// <summary>
/// Subresource-integrity strings as the manifest and pins write them: <c>sha256-</c>, <c>sha384-</c> or <c>sha512-</c>
/// and the Base64 of a digest of exactly that algorithm's length.
/// </summary>
internal static class SubresourceIntegrity
{
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

    public static byte[] Hash(HashAlgorithmName algorithm, ReadOnlySpan<byte> data) =>
        algorithm == HashAlgorithmName.SHA512 ? SHA512.HashData(data)
        : algorithm == HashAlgorithmName.SHA384 ? SHA384.HashData(data)
        : SHA256.HashData(data);

    public static string Format(HashAlgorithmName algorithm, byte[] digest) =>
        algorithm.Name!.ToLowerInvariant() + "-" + Convert.ToBase64String(digest);
}
