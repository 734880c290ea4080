namespace Bundler.Core.PackageSets;

/// <summary>The kinds of package source a bundle.json can name.</summary>
public enum SourceKind
{
    /// <summary>A NuGet v3 feed, or the feeds of a nuget.config.</summary>
    NuGet,

    /// <summary>An npm registry.</summary>
    Npm,

    /// <summary>A pyodide-lock.json with a base URL for its wheels.</summary>
    PyodideLock,

    /// <summary>Archives named by URL in bundle.json itself.</summary>
    Urls,

    /// <summary>Archives already on disk, named <c>&lt;id&gt;.&lt;version&gt;.&lt;ext&gt;</c>.</summary>
    Folder,

    /// <summary>The packages <c>dotnet restore</c> puts in the packages folder for a project, solution or folder.</summary>
    Project,
}
