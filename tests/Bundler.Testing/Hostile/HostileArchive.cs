namespace Bundler.Testing.Hostile;

/// <summary>
/// One archive of the hostile corpus: its file name (which names the format to a reader of the test, not to the
/// product, which goes by the first bytes), how to make its bytes, the entry every refusal must name, and a pattern
/// the refusal must match. Every archive also holds <c>ok.txt</c> ("ok"), the one file a benign package would have.
/// </summary>
/// <param name="RefusedInFilesMode">
/// False where files mode has nothing to refuse: it writes only the paths the manifest lists, and the manifest
/// itself is refused for duplicate or case-colliding paths.
/// </param>
public sealed record HostileArchive(string Name, string FileName, Func<byte[]> Build, string Entry, string Reason, bool RefusedInFilesMode = true)
{
    public override string ToString() => Name;
}
