using System.Net;
using System.Net.Sockets;

namespace Bundler.Loader.Http;

/// <summary>
/// The <see cref="NetworkAddressSpace"/> of an address. Link-local addresses count as local, not private as in Private
/// Network Access: 169.254.169.254 is the cloud metadata endpoint, which answers only the machine itself.
/// </summary>
internal static class NetworkAddressSpaces
{
    public static NetworkAddressSpace Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork ? OfIPv4(address) : OfIPv6(address);
    }

    /// <summary>The most public space among <paramref name="addresses"/>: a name is as public as anything it may lead to.</summary>
    public static NetworkAddressSpace MostPublicOf(IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var spaces = addresses.Select(Of).ToList();
        return spaces.Count == 0 ? NetworkAddressSpace.Public : spaces.Max();
    }

    private static NetworkAddressSpace OfIPv4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return (b[0], b[1]) switch
        {
            (0, _) or (127, _) or (169, 254) => NetworkAddressSpace.Local,
            (10, _) or (172, >= 16 and <= 31) or (192, 168) or (100, >= 64 and <= 127) or (198, 18 or 19) => NetworkAddressSpace.Private,
            _ => NetworkAddressSpace.Public,
        };
    }

    private static NetworkAddressSpace OfIPv6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal)
        {
            return NetworkAddressSpace.Local;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        return (b[0] & 0xFE) == 0xFC || address.IsIPv6SiteLocal ? NetworkAddressSpace.Private : NetworkAddressSpace.Public;
    }
}
