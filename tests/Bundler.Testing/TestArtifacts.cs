namespace Bundler.Testing;

/// <summary>Where tests leave files for people to look at after a run (screenshots): artifacts/test-artifacts in the repository.</summary>
public static class TestArtifacts
{
    public static string Folder { get; } =
        Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "artifacts", "test-artifacts")).FullName;
}
