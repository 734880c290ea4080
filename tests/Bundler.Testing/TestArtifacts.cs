namespace Bundler.Testing;

/// <summary>Where tests leave files for people to look at after a run (screenshots): artifacts/test-artifacts in the repository.</summary>
public static class TestArtifacts
{
    public static string Folder { get; } = Create();

    private static string Create()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Bundler.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? Path.GetTempPath();
        return Directory.CreateDirectory(Path.Combine(root, "artifacts", "test-artifacts")).FullName;
    }
}
