namespace Bundler.Loader.Http;

/// <summary>
/// How far an address reaches, least public first, after browsers' Private Network Access: a redirect may lead only
/// to an address space at least as public as every URL before it.
/// </summary>
internal enum NetworkAddressSpace
{
    /// <summary>This machine (loopback, the unspecified address) or its link (link-local, the cloud metadata endpoint).</summary>
    Local,

    /// <summary>A private network: 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), 198.18/15, fc00::/7.</summary>
    Private,

    /// <summary>Everything else.</summary>
    Public,
}
