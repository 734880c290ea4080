using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Bundler.Testing;

namespace Bundler.Core.Tests.Writing;

/// <summary>docs/FORMAT.md as the tests read it: its code blocks, hex dumps and the numbers its prose states.</summary>
internal sealed partial class FormatSpecDocument
{
    private readonly string _text;
    private readonly string _prose;

    private FormatSpecDocument(string text)
    {
        _text = text.ReplaceLineEndings("\n");
        _prose = Whitespace().Replace(_text, " ");
    }

    public static FormatSpecDocument Load() => new(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "FORMAT.md")));

    /// <summary>The lines of the first fenced code block after <paramref name="marker"/>.</summary>
    public IReadOnlyList<string> CodeBlockAfter(string marker)
    {
        var at = _text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/FORMAT.md no longer contains \"{marker}\".");
        var open = _text.IndexOf("```", at, StringComparison.Ordinal);
        var start = _text.IndexOf('\n', open) + 1;
        var close = _text.IndexOf("\n```", start, StringComparison.Ordinal);
        return _text[start..close].Split('\n');
    }

    /// <summary>The groups of the first match of <paramref name="pattern"/> in the prose, whitespace collapsed to single spaces.</summary>
    public string[] Stated(string pattern)
    {
        var match = Regex.Match(_prose, pattern, RegexOptions.CultureInvariant);
        Assert.True(match.Success, $"docs/FORMAT.md no longer states /{pattern}/.");
        return [.. match.Groups.Cast<Group>().Skip(1).Select(g => g.Value)];
    }

    public long StatedNumber(string pattern) => StatedNumbers(pattern)[0];

    public long[] StatedNumbers(string pattern) => [.. Stated(pattern).Select(n => long.Parse(n, CultureInfo.InvariantCulture))];

    /// <summary>
    /// The bytes of a hex dump: rows of <c>OFFSET: hex bytes</c>, each byte placed at the row's offset plus its position;
    /// <c>FROM-TO: all 00</c> rows and anything not listed stay zero. A row of 16 bytes written as <c>xxd</c> writes
    /// it must show its bytes in the text column too. A row ending in <c>...</c> ends the dump.
    /// </summary>
    public static byte[] HexDump(IReadOnlyList<string> rows, int length)
    {
        var bytes = new byte[length];
        foreach (var row in rows)
        {
            var zeros = ZeroRow().Match(row);
            if (zeros.Success)
            {
                continue;
            }

            var match = HexRow().Match(row);
            Assert.True(match.Success, $"Not a hex dump row: {row}");
            var offset = int.Parse(match.Groups["offset"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var values = match.Groups["bytes"].Value.Split(' ').Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            values.CopyTo(bytes, offset);
            var text = match.Groups["text"].Value;
            if (match.Groups["offset"].Value.Length == 8 && text.Length > 0)
            {
                Assert.Equal(Printable(values), text);
            }
        }

        return bytes;
    }

    /// <summary>Bytes as the text column of <c>xxd</c> shows them: printable ASCII as itself, anything else as a dot.</summary>
    private static string Printable(byte[] values) =>
        new([.. values.Select(b => b is >= 0x20 and < 0x7F ? (char)b : '.')]);

    /// <summary>Removes the whitespace outside strings from JSON, leaving every other byte as written.</summary>
    public static string Compact(string json)
    {
        var compact = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                compact.Append(c);
                if (c == '\\')
                {
                    compact.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
                inString = c == '"';
            }
        }

        return compact.ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^[0-9a-f]+-[0-9a-f]+: all 00$")]
    private static partial Regex ZeroRow();

    [GeneratedRegex(@"^(?<offset>[0-9a-f]+): (?<bytes>[0-9a-f]{2}(?: [0-9a-f]{2})*)(?: \.\.\.)?(?: {2,}(?<text>.*))?$")]
    private static partial Regex HexRow();
}
