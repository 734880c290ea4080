using System.Text.RegularExpressions;
using Bundler.Loader;

namespace Bundler.Publishing.S3;

/// <summary>An <c>s3://BUCKET/PREFIX/</c> publish location: the bucket and the key prefix (empty, or ending in <c>/</c>) of every object.</summary>
internal sealed partial record S3Location(string Bucket, string Prefix)
{
    public const string Scheme = "s3";

    /// <summary>The location's URL, <c>s3://BUCKET/PREFIX/</c>.</summary>
    public override string ToString() => $"{Scheme}://{Bucket}/{Prefix}";

    /// <summary>The key of the object <paramref name="name"/> (relative to the location).</summary>
    public string Key(string name) => Prefix + name;

    /// <summary>Reads <paramref name="url"/> as <c>s3://BUCKET/PREFIX/</c>; throws naming what is wrong with it.</summary>
    public static S3Location Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string start = Scheme + "://";
        if (!url.StartsWith(start, StringComparison.OrdinalIgnoreCase))
        {
            throw new BundleException($"'{url}' is not an s3:// URL; give s3://BUCKET/PREFIX/.");
        }

        var rest = url[start.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (!BucketName().IsMatch(bucket))
        {
            throw new BundleException($"'{url}': '{bucket}' is not an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-'); give s3://BUCKET/PREFIX/.");
        }

        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        if (prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal) || prefix.Split('/')[..^1].Any(s => s is "" or "." or ".."))
        {
            throw new BundleException($"'{url}': the prefix '{prefix}' is not a plain key prefix (no empty, '.' or '..' segments, no '?' or '#'); give s3://BUCKET/PREFIX/.");
        }

        return new S3Location(bucket, prefix);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
