using System.Formats.Tar;

namespace Bundler.Loader.Archives;

/// <summary>
/// The one boundary where a tar stream is read: every failure of <see cref="TarReader"/> on a header (a GNU sparse
/// entry it does not support, a base-256 number out of range, a bad checksum, a stream cut short) becomes a
/// <see cref="BundleException"/> naming where the stream came from and what to do. Errors of the stream under the
/// reader (already <see cref="BundleException"/>s) and cancellation pass through.
/// </summary>
internal static class TarEntryReading
{
    /// <summary>The next entry, or null at the end of the stream.</summary>
    /// <param name="reader">The reader over the tar stream.</param>
    /// <param name="where">How the message begins, naming the archive or bundle and the offset, e.g. <c>The archive 'x.tgz' of x 1.0.0 is not a valid tar file near offset 512</c>.</param>
    public static TarEntry? Next(TarReader reader, Func<string> where)
    {
        try
        {
            return reader.GetNextEntry(copyData: false);
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            throw Refusal(where(), ex);
        }
    }

    /// <summary>The next entry, or null at the end of the stream.</summary>
    /// <param name="reader">The reader over the tar stream.</param>
    /// <param name="where">How the message begins, naming the bundle, the offset and the entry expected there.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async ValueTask<TarEntry?> NextAsync(TarReader reader, Func<string> where, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            throw Refusal(where(), ex);
        }
    }

    private static bool IsReaderFailure(Exception ex) =>
        ex is not (BundleException or OperationCanceledException or OutOfMemoryException);

    private static BundleException Refusal(string where, Exception ex)
    {
        var problem = ex switch
        {
            NotSupportedException when ex.Message.Contains(nameof(TarEntryType.SparseFile), StringComparison.Ordinal) =>
                "it holds a GNU sparse file, which cannot be bundled; re-create the archive without --sparse",
            NotSupportedException => $"it holds an entry type that cannot be bundled ({ex.Message}); re-create the archive with regular files only",
            OverflowException or ArgumentOutOfRangeException =>
                $"a header's number (size, mtime, uid or gid) is out of range ({ex.Message}); re-create the archive with ordinary values",
            _ => $"{ex.Message}; the file is corrupt, cannot be decompressed or is not a tar archive",
        };
        return new BundleException($"{where}: {problem}.", ex);
    }
}
