using Xunit;

namespace Bundler.Testing.Http;

/// <summary>A fact that needs a server on a non-loopback address of this machine (<see cref="InterfaceAddress"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class InterfaceAddressFactAttribute : FactAttribute
{
    public InterfaceAddressFactAttribute()
    {
        if (InterfaceAddress.Value is null)
        {
            Skip = "needs an IPv4 address on a network interface other than loopback";
        }
    }
}
