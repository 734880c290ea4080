namespace Bundler.Loader.Archives;

/// <summary>What an archive entry is, as far as bundling it goes.</summary>
internal enum ArchiveEntryKind
{
    /// <summary>A folder, or metadata such as a tar's global extended attributes: nothing to bundle, skipped.</summary>
    Folder,
    RegularFile,
    SymbolicLink,
    HardLink,

    /// <summary>A device, a FIFO, or any other type of entry: refused.</summary>
    Special,
}
