using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Bundler.Core.Download;

/// <summary>
/// What is known about a <c>.part</c> file a run left behind, kept beside it as <c>.resume</c>: the URL, the version of
/// the file (its length and the If-Range validator of the response it came from) and the byte intervals written so
/// far. The record is read back from disk, so nothing in it is trusted: a record that does not parse is ignored, and the
/// bytes it vouches for are still checked by the file's hash.
/// </summary>
internal sealed record PartRecord(Uri Url, long Length, RangeConditionHeaderValue Validator, IReadOnlyList<(long Start, long End)> Written)
{
    private const string Header = "bundler-part 1";

    /// <summary>The intervals of [0, <see cref="Length"/>) not written yet, in order.</summary>
    public IReadOnlyList<(long Start, long End)> Missing()
    {
        var missing = new List<(long, long)>();
        var at = 0L;
        foreach (var (start, end) in Written.OrderBy(w => w.Start))
        {
            if (start > at)
            {
                missing.Add((at, start));
            }

            at = Math.Max(at, end);
        }

        if (at < Length)
        {
            missing.Add((at, Length));
        }

        return missing;
    }

    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n').Append(Url.AbsoluteUri).Append('\n');
        text.Append(Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(Validator.EntityTag is { } tag ? "etag " + tag : "date " + Validator.Date!.Value.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.AppendJoin(' ', Written.Where(w => w.End > w.Start).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Start}-{w.End}"))).Append('\n');
        return text.ToString();
    }

    /// <summary>The record in <paramref name="text"/> if it is one for <paramref name="url"/> whose intervals fit its length; else null.</summary>
    public static PartRecord? TryParse(string text, Uri url)
    {
        var lines = text.Split('\n');
        if (lines.Length < 5 || lines[0] != Header || lines[1] != url.AbsoluteUri
            || !long.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0
            || ParseValidator(lines[3]) is not { } validator)
        {
            return null;
        }

        var written = new List<(long, long)>();
        foreach (var interval in lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = interval.Split('-');
            if (bounds.Length != 2
                || !long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                || start >= end || end > length)
            {
                return null;
            }

            written.Add((start, end));
        }

        return new PartRecord(url, length, validator, written);
    }

    private static RangeConditionHeaderValue? ParseValidator(string line)
    {
        if (line.StartsWith("etag ", StringComparison.Ordinal))
        {
            return EntityTagHeaderValue.TryParse(line[5..], out var tag) && !tag.IsWeak ? new RangeConditionHeaderValue(tag) : null;
        }

        return line.StartsWith("date ", StringComparison.Ordinal)
            && long.TryParse(line[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new RangeConditionHeaderValue(new DateTimeOffset(ticks, TimeSpan.Zero))
                : null;
    }
}
