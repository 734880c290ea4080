namespace Bundler.Build.Items;

/// <summary>A <c>BundleSource</c> item: where packages come from.</summary>
/// <param name="Name">The item's Include, which <c>BundlePackage</c> items name in their Source metadata.</param>
/// <param name="Type">One of <see cref="KnownTypes"/>.</param>
/// <param name="Location">The Path (folder) or Url metadata, as written.</param>
internal sealed record SourceDefinition(string Name, string Type, string Location)
{
    public const string Folder = "folder";

    /// <summary>Every source type the item schema accepts.</summary>
    public static readonly IReadOnlyList<string> KnownTypes = [Folder, "nuget", "npm", "pyodide-lock", "urls"];
}
