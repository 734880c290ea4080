using System.Globalization;

namespace Bundler.Serving.Network;

/// <summary>Sizes for people: "12.3 MB" out, and "4M", "512K" or plain bytes in.</summary>
internal static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };

    public static bool TryParse(string text, out int bytes)
    {
        bytes = 0;
        var multiplier = 1;
        var digits = text.Trim();
        if (digits.EndsWith("K", StringComparison.OrdinalIgnoreCase) || digits.EndsWith("M", StringComparison.OrdinalIgnoreCase))
        {
            multiplier = char.ToUpperInvariant(digits[^1]) == 'K' ? 1024 : 1024 * 1024;
            digits = digits[..^1];
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value * multiplier > int.MaxValue)
        {
            return false;
        }

        bytes = (int)(value * multiplier);
        return true;
    }
}
