namespace Bundler.Build.Items;

/// <summary>A <c>BundleSource</c> item: where packages come from.</summary>
/// <param name="Name">The item's Include, which <c>BundlePackage</c> items name in their Source metadata.</param>
/// <param name="Type">One of <see cref="KnownTypes"/>.</param>
/// <param name="Location">The Path (folder and project: made absolute) or Url metadata.</param>
internal sealed record SourceDefinition(string Name, string Type, string Location)
{
    public const string Folder = "folder";

    /// <summary>What restore of a project, solution or folder takes; its packages are read where restore put them.</summary>
    public const string Project = "project";

    /// <summary>Every source type the item schema accepts.</summary>
    public static readonly IReadOnlyList<string> KnownTypes = [Folder, "nuget", "npm", "pyodide-lock", "urls", Project];
}
