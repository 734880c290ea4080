namespace Bundler.Testing;

/// <summary>The clone these tests were built from: the folder above the test assembly that holds Bundler.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Bundler.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Bundler.sln above {AppContext.BaseDirectory}.");
    }
}
