using System.Net;

namespace Bundler.Loader.Http;

/// <summary>
/// Follows redirects by <see cref="HttpRedirectPolicy"/> (the connection handlers follow none themselves). A hop that
/// must stay in a more public address space goes through a connection handler of its own whose connections are made
/// only to such addresses, checked on the address each connection is made to, so a name that resolves (or rebinds)
/// to a private address cannot reach it, and a pooled connection made for a direct request is never reused for it.
/// </summary>
internal sealed class RedirectPolicyHandler(HttpRedirectPolicy policy, Func<NetworkAddressSpace, HttpMessageHandler> restrictedHandler) : DelegatingHandler
{
    private readonly Lock _lock = new();
    private readonly Dictionary<NetworkAddressSpace, HttpMessageInvoker> _restricted = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri!;
        var response = await base.SendAsync(request, cancellationToken);
        var floor = NetworkAddressSpace.Local;
        for (var hop = 1; ; hop++)
        {
            var from = request.RequestUri!;
            if (RedirectTarget(response, from) is not { } to)
            {
                return response;
            }

            response.Dispose();
            Refuse(original, policy.RefusalOf(from, to, hop), addressSpace: false);
            if (!policy.AllowPrivateNetworkRedirects)
            {
                floor = (NetworkAddressSpace)Math.Max((int)floor, (int)await SpaceOfAsync(from, cancellationToken));
                Refuse(original, policy.RefusalOf(floor, await SpaceOfAsync(to, cancellationToken), to), addressSpace: true);
            }

            request.RequestUri = to;
            request.Headers.Authorization = null;
            if (response.StatusCode == HttpStatusCode.SeeOther && request.Method != HttpMethod.Head)
            {
                request.Method = HttpMethod.Get;
                request.Content = null;
            }

            try
            {
                response = floor == NetworkAddressSpace.Local
                    ? await base.SendAsync(request, cancellationToken)
                    : await Restricted(floor).SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.InnerException is AddressSpaceRefusal refusal)
            {
                throw new BundleException(HttpRedirectPolicy.Message(original, policy.RefusalOf(floor, refusal.Space, to) + $" ({refusal.Message})", addressSpace: true), ex);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                foreach (var invoker in _restricted.Values)
                {
                    invoker.Dispose();
                }

                _restricted.Clear();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The address space of a URL's host: of the address it names, or the most public one its name resolves to.</summary>
    internal static async Task<NetworkAddressSpace> SpaceOfAsync(Uri url, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(url.DnsSafeHost, out var address))
        {
            return NetworkAddressSpaces.Of(address);
        }

        try
        {
            return NetworkAddressSpaces.MostPublicOf(await Dns.GetHostAddressesAsync(url.DnsSafeHost, cancellationToken));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // A name that does not resolve here can only be reached through a proxy; judge it as the strictest case.
            return NetworkAddressSpace.Public;
        }
    }

    private static Uri? RedirectTarget(HttpResponseMessage response, Uri from) =>
        (int)response.StatusCode is 300 or 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location
            ? location.IsAbsoluteUri ? location : new Uri(from, location)
            : null;

    private static void Refuse(Uri original, string? refusal, bool addressSpace)
    {
        if (refusal is not null)
        {
            throw new BundleException(HttpRedirectPolicy.Message(original, refusal, addressSpace));
        }
    }

    private HttpMessageInvoker Restricted(NetworkAddressSpace floor)
    {
        lock (_lock)
        {
            if (!_restricted.TryGetValue(floor, out var invoker))
            {
                _restricted[floor] = invoker = new HttpMessageInvoker(restrictedHandler(floor), disposeHandler: true);
            }

            return invoker;
        }
    }
}
