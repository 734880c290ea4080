namespace Bundler.Core.Resolution;

/// <summary>Subresource-integrity strings as sources publish them: <c>sha256-</c>, <c>sha384-</c> or <c>sha512-</c> and base64.</summary>
internal static class Sri
{
    private static readonly (string Prefix, int Bytes)[] Algorithms = [("sha256-", 32), ("sha384-", 48), ("sha512-", 64)];

    public static bool IsValid(string value)
    {
        foreach (var (prefix, bytes) in Algorithms)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                var buffer = new byte[bytes + 3];
                return Convert.TryFromBase64String(value[prefix.Length..], buffer, out var written) && written == bytes;
            }
        }

        return false;
    }

    public static string FromHex(string algorithm, string hex) => algorithm + "-" + Convert.ToBase64String(Convert.FromHexString(hex));
}
