using System.Buffers;

namespace Bundler.Loader.Format;

/// <summary>
/// The rules that keep one path segment the same file on Windows, macOS and Linux: no device name Windows reserves
/// (<c>CON</c>, <c>PRN</c>, <c>AUX</c>, <c>NUL</c>, <c>COM0</c>–<c>COM9</c>, <c>LPT0</c>–<c>LPT9</c>, also with the
/// digits ¹ ² ³, in any case, with or without an extension: <c>aux.tar.gz</c> is <c>AUX</c>), no trailing dot or
/// space (Windows drops them, so <c>a.</c> would become <c>a</c>), and none of the characters Windows cannot hold in a
/// name (<c>&lt; &gt; " | ? *</c>; colons, backslashes and control characters are refused by <see cref="EntryPath"/>).
/// A name that is not in Unicode NFC is allowed; two names that are one under NFC collide (<see cref="PathCollisionChecker"/>).
/// </summary>
internal static class PortableSegment
{
    private static readonly string[] DeviceNames = ["CON", "PRN", "AUX", "NUL"];

    private static readonly string[] NumberedDeviceNames = ["COM", "LPT"];

    private static readonly SearchValues<char> WindowsForbiddenCharacters = SearchValues.Create("<>\"|?*");

    /// <summary>Returns why <paramref name="segment"/> (not empty, not '.' or '..') would differ between operating systems, or null.</summary>
    public static string? Problem(string segment)
    {
        var forbidden = segment.AsSpan().IndexOfAny(WindowsForbiddenCharacters);
        if (forbidden >= 0)
        {
            return $"the path element '{segment}' contains '{segment[forbidden]}', which Windows does not allow in a name";
        }

        if (segment[^1] is '.' or ' ')
        {
            return $"the path element '{segment}' ends with a {(segment[^1] == '.' ? "dot" : "space")}, which Windows drops";
        }

        if (IsDeviceName(segment))
        {
            return $"the path element '{segment}' is a device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or without an extension)";
        }

        return null;
    }

    private static bool IsDeviceName(string segment)
    {
        // Windows looks at the name before the first dot, without the spaces that end it: "nul .txt" is NUL.
        var dot = segment.IndexOf('.', StringComparison.Ordinal);
        var stem = (dot < 0 ? segment : segment[..dot]).TrimEnd(' ');
        if (DeviceNames.Any(name => stem.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return stem.Length == 4
            && NumberedDeviceNames.Any(name => stem.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            && (char.IsAsciiDigit(stem[3]) || stem[3] is '¹' or '²' or '³');
    }
}
