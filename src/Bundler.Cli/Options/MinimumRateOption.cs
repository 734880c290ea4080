using System.CommandLine;
using Bundler.Loader;
using Bundler.Loader.Http;
using Bundler.Serving.Network;

namespace Bundler.Cli.Options;

/// <summary><c>--min-rate RATE/WINDOW</c> (for example <c>1K/30s</c>; <c>0</c> turns it off): the slowest a response body may arrive.</summary>
internal static class MinimumRateOption
{
    public const string Name = "--min-rate";

    public static Option<string> Create() => new(Name)
    {
        Description = "Slowest a body may arrive, bytes per second over a window (1K/30s); slower counts as a stall and is resumed. 0: off.",
        DefaultValueFactory = _ => "1K/30s",
    };

    public static MinimumTransferRate Parse(string text)
    {
        if (text.Trim() == "0")
        {
            return MinimumTransferRate.None;
        }

        var parts = text.Split('/', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && ByteSize.TryParse(parts[0], out var rate) && rate >= 0
            && NetworkUnits.TryParseDuration(parts[1], out var window) && window > TimeSpan.Zero
                ? new MinimumTransferRate(rate, window)
                : throw new BundleException($"{Name} '{text}' is not valid; write a rate in bytes per second (or with K or M) and a window, like 1K/30s, or 0 to turn it off.");
    }
}
