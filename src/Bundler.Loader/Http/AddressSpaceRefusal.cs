using System.Net;

namespace Bundler.Loader.Http;

/// <summary>
/// A connection refused because its address is less public than its request may reach; thrown by the connection
/// handler (which wraps it in an <see cref="HttpRequestException"/>) and turned into the redirect's error by
/// <see cref="RedirectPolicyHandler"/>.
/// </summary>
internal sealed class AddressSpaceRefusal(string host, IReadOnlyList<IPAddress> addresses, NetworkAddressSpace space)
    : Exception($"{host} resolves only to {string.Join(", ", addresses)}, in the {space} address space")
{
    public NetworkAddressSpace Space { get; } = space;
}
