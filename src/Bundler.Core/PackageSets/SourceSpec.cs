using NuGet.Frameworks;

namespace Bundler.Core.PackageSets;

/// <summary>A validated source of a package set; relative paths are already made absolute.</summary>
internal sealed record SourceSpec
{
    public required string Name { get; init; }

    public required SourceKind Kind { get; init; }

    /// <summary>NuGet service index or npm registry root.</summary>
    public Uri? Url { get; init; }

    /// <summary>nuget.config to take feeds, credentials and package source mapping from.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The folder of a folder source.</summary>
    public string? FolderPath { get; init; }

    /// <summary>The .csproj, .sln, .slnx or folder of a project source.</summary>
    public string? ProjectPath { get; init; }

    /// <summary>pyodide-lock.json: an absolute path or an http(s) URL.</summary>
    public string? LockLocation { get; init; }

    /// <summary>Where a pyodide-lock source's wheels are (the lock's file names are relative to it).</summary>
    public Uri? BaseUrl { get; init; }

    public NuGetFramework? TargetFramework { get; init; }

    /// <summary>Whether dependencies are resolved too.</summary>
    public bool Transitive { get; init; }

    /// <summary>Whether this source's archives are kept whole by default.</summary>
    public bool KeepArchive { get; init; }
}
