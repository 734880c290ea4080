using System.Globalization;
using System.Text.RegularExpressions;

namespace Bundler.Serving.Network;

/// <summary>Parses and prints bandwidths ("8mbit", "1.5MB") and durations ("40ms", "0.2s") as people write them.</summary>
internal static partial class NetworkUnits
{
    public static long MegabitsPerSecond(double megabits) => (long)(megabits * 1_000_000 / 8);

    /// <summary>
    /// Decimal units: <c>kbit</c>, <c>mbit</c>, <c>gbit</c> are bits per second; <c>KB</c>, <c>MB</c>, <c>GB</c> (or a bare
    /// <c>B</c>) are bytes per second. An optional <c>/s</c> or <c>ps</c> suffix is accepted.
    /// </summary>
    public static bool TryParseBytesPerSecond(string text, out long bytesPerSecond)
    {
        bytesPerSecond = 0;
        var match = RateSyntax().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        var unit = match.Groups["unit"].Value.ToUpperInvariant();
        double scale = unit[0] switch
        {
            'K' => 1e3,
            'M' => 1e6,
            'G' => 1e9,
            _ => 1,
        };
        var bits = unit.EndsWith("BIT", StringComparison.Ordinal);
        var result = value * scale / (bits ? 8 : 1);
        if (result < 1 || result > long.MaxValue / 2)
        {
            return false;
        }

        bytesPerSecond = (long)result;
        return true;
    }

    /// <summary>Milliseconds by default; <c>ms</c> and <c>s</c> suffixes.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = text.Trim();
        var seconds = trimmed.EndsWith('s') && !trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase);
        var number = seconds ? trimmed[..^1] : trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? trimmed[..^2] : trimmed;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0 || value > 600_000)
        {
            return false;
        }

        duration = seconds ? TimeSpan.FromSeconds(value) : TimeSpan.FromMilliseconds(value);
        return true;
    }

    public static string FormatBitsPerSecond(long bytesPerSecond)
    {
        var bits = bytesPerSecond * 8.0;
        return bits switch
        {
            >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bits / 1e9:0.##} Gbit/s"),
            >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{bits / 1e6:0.##} Mbit/s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{bits / 1e3:0.##} kbit/s"),
        };
    }

    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.##} s")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0.#} ms");

    [GeneratedRegex(@"^(?<value>\d+(\.\d+)?)\s*(?<unit>[kmg]?bit|[kmg]?b)(/s|ps)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RateSyntax();
}
