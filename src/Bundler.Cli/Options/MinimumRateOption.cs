using System.CommandLine;
using System.CommandLine.Parsing;
using Bundler.Loader.Http;
using Bundler.Serving.Network;

namespace Bundler.Cli.Options;

/// <summary><c>--min-rate RATE/WINDOW</c> (for example <c>1K/30s</c>; <c>0</c> turns it off): the slowest a response body may arrive.</summary>
internal static class MinimumRateOption
{
    public const string Name = "--min-rate";

    private const string DefaultText = "1K/30s";

    public static Option<MinimumTransferRate> Create() => new(Name)
    {
        Description = "Slowest a body may arrive, bytes per second over a window (1K/30s); slower counts as a stall and is resumed. 0: off.",
        CustomParser = Parse,
        DefaultValueFactory = Parse,
    };

    public static bool TryParse(string text, out MinimumTransferRate rate)
    {
        rate = MinimumTransferRate.None;
        if (text.Trim() == "0")
        {
            return true;
        }

        var parts = text.Split('/', 2, StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && ByteSize.TryParse(parts[0], out var bytesPerSecond) && bytesPerSecond >= 0
            && NetworkUnits.TryParseDuration(parts[1], out var window) && window > TimeSpan.Zero)
        {
            rate = new MinimumTransferRate(bytesPerSecond, window);
            return true;
        }

        return false;
    }

    private static MinimumTransferRate Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : DefaultText;
        if (TryParse(text, out var rate))
        {
            return rate;
        }

        result.AddError(OptionValues.Invalid(Name, text, "1K/30s (bytes per second, or with K or M, over a window), or 0 to turn it off"));
        return MinimumTransferRate.None;
    }
}
