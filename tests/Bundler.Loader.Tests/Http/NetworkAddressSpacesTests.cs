using System.Net;
using Bundler.Loader.Http;

namespace Bundler.Loader.Tests.Http;

public sealed class NetworkAddressSpacesTests
{
    [Theory]
    [InlineData("127.0.0.1", "Local")]
    [InlineData("127.255.0.9", "Local")]
    [InlineData("0.0.0.0", "Local")]
    [InlineData("::1", "Local")]
    [InlineData("::", "Local")]
    [InlineData("::ffff:127.0.0.1", "Local")]
    [InlineData("169.254.169.254", "Local")]
    [InlineData("fe80::1", "Local")]
    [InlineData("10.1.2.3", "Private")]
    [InlineData("172.16.0.1", "Private")]
    [InlineData("172.31.255.255", "Private")]
    [InlineData("192.168.1.1", "Private")]
    [InlineData("100.64.0.1", "Private")]
    [InlineData("100.127.255.255", "Private")]
    [InlineData("::ffff:10.0.0.1", "Private")]
    [InlineData("fc00::1", "Private")]
    [InlineData("fd12:3456::1", "Private")]
    [InlineData("172.15.255.255", "Public")]
    [InlineData("172.32.0.0", "Public")]
    [InlineData("100.128.0.0", "Public")]
    [InlineData("192.0.2.2", "Public")]
    [InlineData("8.8.8.8", "Public")]
    [InlineData("2606:4700::1111", "Public")]
    public void Of_Address_GivesItsSpace(string address, string expected) =>
        Assert.Equal(Enum.Parse<NetworkAddressSpace>(expected), NetworkAddressSpaces.Of(IPAddress.Parse(address)));

    [Fact]
    public void MostPublicOf_NameWithPublicAndLocalAddresses_IsPublic() =>
        Assert.Equal(NetworkAddressSpace.Public, NetworkAddressSpaces.MostPublicOf([IPAddress.Loopback, IPAddress.Parse("8.8.8.8")]));
}
