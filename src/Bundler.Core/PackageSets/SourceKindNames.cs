namespace Bundler.Core.PackageSets;

/// <summary>The names bundle.json and bundle.lock.json give the source kinds.</summary>
internal static class SourceKindNames
{
    public static string Name(SourceKind kind) => kind switch
    {
        SourceKind.NuGet => "nuget",
        SourceKind.Npm => "npm",
        SourceKind.PyodideLock => "pyodide-lock",
        SourceKind.Urls => "urls",
        SourceKind.Project => "project",
        _ => "folder",
    };

    public static SourceKind? Parse(string name) => name switch
    {
        "nuget" => SourceKind.NuGet,
        "npm" => SourceKind.Npm,
        "pyodide-lock" => SourceKind.PyodideLock,
        "urls" => SourceKind.Urls,
        "folder" => SourceKind.Folder,
        "project" => SourceKind.Project,
        _ => null,
    };
}
