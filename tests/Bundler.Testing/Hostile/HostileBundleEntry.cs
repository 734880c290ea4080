namespace Bundler.Testing.Hostile;

/// <summary>
/// One bundle of <see cref="HostileBundleEntries"/>: a valid manifest of package <c>evil 1.0.0</c> listing one empty
/// file, <see cref="Path"/>, whose place in the tar stream holds <see cref="Build"/> (headers no writer of ours makes).
/// </summary>
/// <param name="Name">How tests name the case.</param>
/// <param name="Path">The file the manifest lists; the hostile headers carry the entry name <c>evil/1.0.0/PATH</c>.</param>
/// <param name="Build">The hostile entry's headers (and data), given the entry name, a multiple of 512 bytes.</param>
/// <param name="Reason">A pattern every refusal must match.</param>
public sealed record HostileBundleEntry(string Name, string Path, Func<string, byte[]> Build, string Reason)
{
    /// <summary>The tar entry name the refusal must show.</summary>
    public string Entry => HostileBundleEntries.Folder + Path;

    public override string ToString() => Name;
}
