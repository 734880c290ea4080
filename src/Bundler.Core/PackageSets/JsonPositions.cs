using System.Text;
using System.Text.Json;

namespace Bundler.Core.PackageSets;

/// <summary>
/// Where each value of a JSON document starts (1-based line and column), by path (<c>packages[2].version</c>), so
/// that errors found after deserializing can still point into the file.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    private JsonPositions()
    {
    }

    public static JsonPositions Index(ReadOnlySpan<byte> json)
    {
        var index = new JsonPositions();
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var frames = new List<(bool IsArray, int Index, string? Property)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    frames[^1] = (false, 0, reader.GetString());
                    index.Record(frames, Position(json, lineStarts, reader.TokenStartIndex));
                    break;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    index.Record(frames, Position(json, lineStarts, reader.TokenStartIndex));
                    frames.Add((reader.TokenType == JsonTokenType.StartArray, 0, null));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    NextElement(frames);
                    break;
                default:
                    index.Record(frames, Position(json, lineStarts, reader.TokenStartIndex));
                    NextElement(frames);
                    break;
            }
        }

        return index;
    }

    /// <summary>The position of the value at <paramref name="path"/>, or of its nearest recorded ancestor.</summary>
    public (int Line, int Column) Find(string path)
    {
        while (true)
        {
            if (_positions.TryGetValue(path, out var position))
            {
                return position;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return _positions.GetValueOrDefault(string.Empty, (1, 1));
            }

            path = path[..cut];
        }
    }

    private void Record(List<(bool IsArray, int Index, string? Property)> frames, (int Line, int Column) position)
    {
        var path = new StringBuilder();
        foreach (var (isArray, elementIndex, property) in frames)
        {
            if (isArray)
            {
                path.Append('[').Append(elementIndex).Append(']');
            }
            else if (property is not null)
            {
                path.Append(path.Length == 0 ? "" : ".").Append(property);
            }
        }

        _positions.TryAdd(path.ToString(), position);
    }

    private static void NextElement(List<(bool IsArray, int Index, string? Property)> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1] = (true, frames[^1].Index + 1, null);
        }
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> json, List<int> lineStarts, long offset)
    {
        var line = lineStarts.BinarySearch((int)offset);
        line = line >= 0 ? line : ~line - 1;
        return (line + 1, Encoding.UTF8.GetCharCount(json[lineStarts[line]..(int)offset]) + 1);
    }
}
