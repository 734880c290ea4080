using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Bundler.Loader.Http;

/// <summary>The URLs this tool fetches from: absolute, http or https.</summary>
internal static class HttpUrls
{
    private static readonly SearchValues<char> SchemeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

    public static bool Is(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>Reads <paramref name="text"/> as an absolute http(s) URL, or as one relative to <paramref name="baseUrl"/> when given.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? url, Uri? baseUrl = null)
    {
        var parsed = baseUrl is null ? Uri.TryCreate(text, UriKind.Absolute, out var candidate) : Uri.TryCreate(baseUrl, text, out candidate);
        url = parsed && Is(candidate!) ? candidate : null;
        return url is not null;
    }

    /// <summary>
    /// The scheme of <paramref name="text"/> when it is a URL (<c>scheme://…</c>) of a scheme other than http(s), such
    /// as <c>s3</c>, <c>gs</c> or <c>ftp</c>; null otherwise. Such text is never a local path.
    /// </summary>
    public static string? OtherScheme(string text)
    {
        var end = text.IndexOf("://", StringComparison.Ordinal);
        if (end < 2 || !char.IsAsciiLetter(text[0]) || text.AsSpan(0, end).ContainsAnyExcept(SchemeCharacters))
        {
            return null;
        }

        var scheme = text[..end];
        return scheme.Equals(Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) || scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase) ? null : scheme;
    }
}
