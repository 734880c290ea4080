using System.Diagnostics.CodeAnalysis;

namespace Bundler.Loader.Http;

/// <summary>The URLs this tool fetches from: absolute, http or https.</summary>
internal static class HttpUrls
{
    public static bool Is(Uri url) => url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>Reads <paramref name="text"/> as an absolute http(s) URL, or as one relative to <paramref name="baseUrl"/> when given.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? url, Uri? baseUrl = null)
    {
        var parsed = baseUrl is null ? Uri.TryCreate(text, UriKind.Absolute, out var candidate) : Uri.TryCreate(baseUrl, text, out candidate);
        url = parsed && Is(candidate!) ? candidate : null;
        return url is not null;
    }
}
