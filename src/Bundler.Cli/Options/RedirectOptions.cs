using System.CommandLine;

namespace Bundler.Cli.Options;

/// <summary>The opt-out from the redirect policy's private-network rule, named and described once for every command that fetches.</summary>
internal static class RedirectOptions
{
    public static Option<bool> AllowPrivateRedirects() => new("--allow-private-redirects")
    {
        Description = "Follow redirects from a public or private address into a private or local one (loopback, link-local, 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7); refused by default.",
    };
}
