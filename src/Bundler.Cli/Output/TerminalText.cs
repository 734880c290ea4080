using System.Globalization;
using System.Text;

namespace Bundler.Cli.Output;

/// <summary>
/// The one rule for text from archives, manifests, bundle.json and servers on its way to a terminal: every C0 and C1
/// control character (ESC, CR, BEL, U+009B CSI…) and DEL is shown as <c>\u</c> and four hex digits, so it can be read but
/// never moves the cursor, clears the screen or rewrites a line. Line feeds stay, and so does the CR of a CRLF line end
/// on a platform whose line ends are CRLF.
/// </summary>
internal static class TerminalText
{
    private static readonly bool CrlfLineEnds = Environment.NewLine == "\r\n";

    /// <summary>C0 (U+0000 to U+001F) but the line feed, DEL and C1 (U+0080 to U+009F).</summary>
    public static bool NeedsEscaping(char c) => c != '\n' && char.IsControl(c);

    public static string Escape(string text)
    {
        if (!text.Any(NeedsEscaping))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        Append(builder, text);
        return builder.ToString();
    }

    /// <summary>Appends <paramref name="text"/> to <paramref name="builder"/>, escaped.</summary>
    public static void Append(StringBuilder builder, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsEscaping(c) || (c == '\r' && CrlfLineEnds && i + 1 < text.Length && text[i + 1] == '\n'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }
    }

}
