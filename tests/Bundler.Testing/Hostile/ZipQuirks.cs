namespace Bundler.Testing.Hostile;

/// <summary>Ways one <see cref="RawZip"/> entry's headers disagree with each other, or with how readers decode names.</summary>
/// <param name="LocalMethod">The local header's compression method, when it differs from the central record's.</param>
/// <param name="LocalEncrypted">The local header alone sets the encryption flag.</param>
/// <param name="LocalCompressedSizeDelta">Added to the compressed size in the local header only.</param>
/// <param name="UnicodePath">An Info-ZIP Unicode Path field in the central record, naming the entry otherwise.</param>
/// <param name="Latin1Name">The name is written in Latin-1 without the UTF-8 flag.</param>
/// <param name="WrongCentralCrc">The central record's CRC-32 is not the data's (the local header's is).</param>
/// <param name="UncompressedSizeDelta">Added to the uncompressed size in both headers.</param>
public sealed record ZipQuirks(
    ushort? LocalMethod = null, bool LocalEncrypted = false, int LocalCompressedSizeDelta = 0, string? UnicodePath = null, bool Latin1Name = false,
    bool WrongCentralCrc = false, int UncompressedSizeDelta = 0);
