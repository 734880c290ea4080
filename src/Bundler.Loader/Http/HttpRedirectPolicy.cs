namespace Bundler.Loader.Http;

/// <summary>
/// Which redirects every client of the product follows: http and https only, never from https to http, at most
/// <see cref="MaxRedirects"/> hops, and never from a more public address space into a less public one (public, then
/// private, then local, as in browsers' Private Network Access) unless <see cref="AllowPrivateNetworkRedirects"/>.
/// A URL named directly is the caller's choice and is never checked; only where a server sends it is.
/// </summary>
internal sealed record HttpRedirectPolicy
{
    public static HttpRedirectPolicy Default { get; } = new();

    public int MaxRedirects { get; init; } = 10;

    /// <summary>Follow redirects from a public or private address into a private or local one.</summary>
    public bool AllowPrivateNetworkRedirects { get; init; }

    /// <summary>Why the redirect number <paramref name="hop"/> from <paramref name="from"/> to <paramref name="to"/> is refused; null when it is followed.</summary>
    public string? RefusalOf(Uri from, Uri to, int hop)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!HttpUrls.Is(to))
        {
            return $"{Describe(to)} is not an http:// or https:// URL; only those are followed";
        }

        if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp)
        {
            return $"{to} would leave https for cleartext http, which a redirect never does";
        }

        return hop > MaxRedirects ? $"it took more than {MaxRedirects} redirects (the last to {to}); the server may redirect in a loop" : null;
    }

    /// <summary>Why a redirect from <paramref name="floor"/> into <paramref name="target"/> is refused; null when it is followed.</summary>
    public string? RefusalOf(NetworkAddressSpace floor, NetworkAddressSpace target, Uri to) =>
        AllowPrivateNetworkRedirects || target >= floor ? null
        : $"{to} is in a {Name(target)} address space, less public than the {Name(floor)} one the request came from; a server may not send a request into a more private network";

    /// <summary>The full message of a refused redirect: the URL asked for, why, and what to do.</summary>
    public static string Message(Uri original, string refusal, bool addressSpace) =>
        $"Refused a redirect of GET {original}: {refusal}. " + (addressSpace
            ? "Name the target URL directly if it is meant, or allow such redirects (--allow-private-redirects, or AllowPrivateNetworkRedirects in the options)."
            : "Name the final URL directly, or fix the server's redirect.");

    private static string Describe(Uri url) => url.IsAbsoluteUri ? url.AbsoluteUri : Uri.EscapeDataString(url.OriginalString);

    private static string Name(NetworkAddressSpace space) => space switch
    {
        NetworkAddressSpace.Local => "local",
        NetworkAddressSpace.Private => "private",
        _ => "public",
    };
}
