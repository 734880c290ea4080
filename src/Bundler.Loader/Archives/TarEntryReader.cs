using System.Formats.Tar;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Bundler.Loader.Archives;

/// <summary>
/// The one place a tar stream is read entry by entry: every failure of <see cref="TarReader"/> on a header (a GNU
/// sparse entry it does not support, a base-256 number out of range, a field that does not parse, a stream cut short)
/// becomes a <see cref="BundleException"/> naming the source, the entry and its offset, what was found and what to
/// do. Errors of the stream under the reader (already <see cref="BundleException"/>s) and cancellation pass through.
/// </summary>
internal sealed class TarEntryReader : IDisposable, IAsyncDisposable
{
    private const int NameLength = 100;
    private const int ChecksumOffset = 148;
    private const int MagicOffset = 257;
    private const int PrefixOffset = 345;
    private const int PrefixLength = 155;

    private static readonly (string Field, int Offset, int Length)[] NumericFields =
    [
        ("size", 124, 12), ("mtime", 136, 12), ("uid", 108, 8), ("gid", 116, 8), ("mode", 100, 8),
    ];

    private readonly TarHeaderTrackingStream _stream;
    private readonly TarReader _reader;
    private readonly bool _isBundle;

    /// <param name="tar">The tar stream, left open.</param>
    /// <param name="isBundle">The stream is a bundle's payload, which no repacking of a source archive mends: refusals say so.</param>
    public TarEntryReader(Stream tar, bool isBundle = false)
    {
        _isBundle = isBundle;
        _stream = new TarHeaderTrackingStream(tar);
        _reader = new TarReader(_stream, leaveOpen: true);
    }

    /// <summary>The next entry, or null at the end of the stream.</summary>
    /// <param name="source">How a refusal names the stream, e.g. <c>The archive 'x.tgz' of x 1.0.0</c>.</param>
    public TarEntry? Next(Func<string> source)
    {
        try
        {
            return _reader.GetNextEntry(copyData: false);
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            throw Refusal(source(), ex);
        }
    }

    /// <inheritdoc cref="Next"/>
    /// <param name="source">How a refusal names the stream.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public async ValueTask<TarEntry?> NextAsync(Func<string> source, CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            throw Refusal(source(), ex);
        }
    }

    public void Dispose() => _reader.Dispose();

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private static bool IsReaderFailure(Exception ex) =>
        ex is not (BundleException or OperationCanceledException or OutOfMemoryException);

    /// <summary>Words every refusal of a tar header: "SOURCE: tar entry 'NAME' at offset N (what was found); (what to do)."</summary>
    private BundleException Refusal(string source, Exception ex)
    {
        var header = _stream.LastBlock is { } last && IsHeader(last.Block.Span) ? last : ((ReadOnlyMemory<byte> Block, long Offset)?)null;
        var what = header is { } h
            ? string.Create(CultureInfo.InvariantCulture, $"tar entry '{Escaped(NameOf(h.Block.Span))}' at offset {h.Offset}")
            : string.Create(CultureInfo.InvariantCulture, $"the tar header before offset {_stream.Position}");
        var (problem, remedy) = ex switch
        {
            NotSupportedException when ex.Message.Contains(nameof(TarEntryType.SparseFile), StringComparison.Ordinal) =>
                ("is a GNU sparse file, which cannot be bundled", "repack the archive without sparse files (GNU tar without --sparse)"),
            NotSupportedException =>
                ($"is of a type that cannot be read ({ex.Message})", "repack the archive with regular files and folders only"),
            OverflowException or ArgumentOutOfRangeException =>
                ($"has {NumberField(header is { } block ? block.Block.Span : [])} out of range ({ex.Message})", "repack the archive with ordinary owner ids, dates (before the year 10000) and sizes"),
            _ => ($"cannot be read ({ex.Message})", "the file is corrupt, cannot be decompressed or is not a tar archive"),
        };
        if (_isBundle)
        {
            remedy = "no bundle writer makes such an entry; the bundle is corrupt or was tampered with";
        }

        return new BundleException($"{source}: {what} {problem}; {remedy}.", ex);
    }

    /// <summary>True when the block's checksum field matches its bytes, as in every tar header (and almost no data block).</summary>
    private static bool IsHeader(ReadOnlySpan<byte> block)
    {
        var field = Encoding.ASCII.GetString(block.Slice(ChecksumOffset, 8)).Trim(' ', '\0');
        if (field.Length == 0 || !int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var sum = 8 * ' ';
        for (var i = 0; i < block.Length; i++)
        {
            sum += i is >= ChecksumOffset and < ChecksumOffset + 8 ? 0 : block[i];
        }

        return Convert.ToString(sum, 8) == field.TrimStart('0') || (sum == 0 && field.All(c => c == '0'));
    }

    private static string NameOf(ReadOnlySpan<byte> header)
    {
        var name = Field(header[..NameLength]);
        if (header.Slice(MagicOffset, 5).SequenceEqual("ustar"u8) && Field(header.Slice(PrefixOffset, PrefixLength)) is { Length: > 0 } prefix)
        {
            name = prefix + "/" + name;
        }

        return name;
    }

    private static string Field(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>Names the first numeric field written in base-256 (GNU's form for numbers too large for octal), the likely culprit.</summary>
    private static string NumberField(ReadOnlySpan<byte> header)
    {
        if (header.Length == TarHeaderTrackingStream.BlockSize)
        {
            foreach (var (field, offset, length) in NumericFields)
            {
                if ((header[offset] & 0x80) != 0)
                {
                    var bytes = header.Slice(offset, length).ToArray();
                    var negative = (bytes[0] & 0x40) != 0;
                    bytes[0] &= 0x7F;
                    var value = negative ? "a negative value" : new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
                    return $"a base-256 {field} of {value}";
                }
            }
        }

        return "a number (size, mtime, uid or gid)";
    }

    /// <summary>Control characters in a name are shown escaped, never sent to a terminal as they are.</summary>
    private static string Escaped(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return builder.ToString();
    }
}
