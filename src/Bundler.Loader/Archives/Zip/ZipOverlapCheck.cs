namespace Bundler.Loader.Archives.Zip;

/// <summary>
/// Finds zip entries whose bytes overlap: two central-directory records pointing at the same local header, or one
/// entry's data running into the next entry's header. That is how the densest zip bombs reuse one compressed stream
/// for thousands of files; no zip writer makes it. It works on the directory <see cref="ZipCentralDirectory"/> read
/// (<see cref="ZipEntryStreams.FindOverlap"/>).
/// </summary>
internal static class ZipOverlapCheck
{
    /// <summary>The names of the first two of <paramref name="directory"/>'s entries that overlap, or null when none do.</summary>
    public static (string Entry, string Overlapped)? Find(FileStream zip, IReadOnlyList<ZipCentralEntry> directory)
    {
        var entries = directory.OrderBy(e => e.LocalHeaderOffset).ToList();
        for (var i = 1; i < entries.Count; i++)
        {
            var previous = entries[i - 1];
            if (ZipCentralDirectory.ReadLocalHeader(zip, previous) is { DataStart: var start }
                && (previous.CompressedSize < 0 || previous.CompressedSize > zip.Length - start || entries[i].LocalHeaderOffset < start + previous.CompressedSize))
            {
                // Data that would run past the end of the file runs into everything after it.
                return (entries[i].Name, previous.Name);
            }
        }

        return null;
    }
}
