using System.Globalization;
using System.Text;

namespace Bundler.Loader.Format;

/// <summary>
/// Unicode canonical decomposition (NFD) from tables generated into <c>CanonicalDecompositionData.cs</c>, the same in
/// every process: <see cref="string.Normalize()"/> does nothing in globalization-invariant mode, which the tools run in.
/// Two names are canonically equivalent (one name on macOS, whichever of NFC and NFD each is in) exactly when their
/// decompositions are equal.
/// </summary>
internal static partial class CanonicalDecomposition
{
    private const int HangulFirst = 0xAC00, HangulLast = 0xD7A3, HangulLeads = 0x1100, HangulVowels = 0x1161, HangulTrails = 0x11A7;
    private const int HangulVowelCount = 21, HangulTrailCount = 28;

    private static readonly Dictionary<int, int[]> Mappings = ParseMappings();
    private static readonly (int First, int Last, int Class)[] Classes = ParseClasses();

    /// <summary>The NFD form of <paramref name="text"/>: every character fully decomposed, combining marks in canonical order.</summary>
    public static string Decompose(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        var codes = new List<int>(text.Length + 4);
        foreach (var rune in text.EnumerateRunes())
        {
            var code = rune.Value;
            if (code is >= HangulFirst and <= HangulLast)
            {
                var index = code - HangulFirst;
                codes.Add(HangulLeads + (index / (HangulVowelCount * HangulTrailCount)));
                codes.Add(HangulVowels + (index % (HangulVowelCount * HangulTrailCount) / HangulTrailCount));
                if (index % HangulTrailCount != 0)
                {
                    codes.Add(HangulTrails + (index % HangulTrailCount));
                }
            }
            else if (Mappings.TryGetValue(code, out var mapping))
            {
                codes.AddRange(mapping);
            }
            else
            {
                codes.Add(code);
            }
        }

        // Canonical ordering: a mark moves before the marks of a higher class that precede it; starters (class 0) stay.
        for (var i = 1; i < codes.Count; i++)
        {
            var mark = CombiningClass(codes[i]);
            for (var j = i; mark != 0 && j > 0 && CombiningClass(codes[j - 1]) > mark; j--)
            {
                (codes[j - 1], codes[j]) = (codes[j], codes[j - 1]);
            }
        }

        var builder = new StringBuilder(codes.Count + 4);
        foreach (var code in codes)
        {
            builder.Append(new Rune(code).ToString());
        }

        return builder.ToString();
    }

    private static int CombiningClass(int code)
    {
        int low = 0, high = Classes.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (code < Classes[middle].First)
            {
                high = middle - 1;
            }
            else if (code > Classes[middle].Last)
            {
                low = middle + 1;
            }
            else
            {
                return Classes[middle].Class;
            }
        }

        return 0;
    }

    private static Dictionary<int, int[]> ParseMappings()
    {
        var mappings = new Dictionary<int, int[]>();
        foreach (var entry in Decompositions.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            mappings.Add(Hex(entry[..equals]), [.. entry[(equals + 1)..].Split(' ').Select(Hex)]);
        }

        return mappings;
    }

    private static (int First, int Last, int Class)[] ParseClasses() =>
    [
        .. CombiningClasses.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(entry =>
        {
            var dash = entry.IndexOf('-', StringComparison.Ordinal);
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            return (Hex(entry[..dash]), Hex(entry[(dash + 1)..colon]), int.Parse(entry[(colon + 1)..], CultureInfo.InvariantCulture));
        }),
    ];

    private static int Hex(string digits) => int.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
