using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Bundler.Testing.Http;

/// <summary>An IPv4 address of this machine that is not loopback (an interface that is up), or null when it has none.</summary>
public static class InterfaceAddress
{
    public static IPAddress? Value { get; } = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a) && !a.ToString().StartsWith("169.254.", StringComparison.Ordinal));
}
