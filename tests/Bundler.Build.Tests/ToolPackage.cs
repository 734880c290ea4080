using System.IO.Compression;
using System.Xml.Linq;

namespace Bundler.Build.Tests;

/// <summary>What a packed tool package says of itself.</summary>
internal static class ToolPackage
{
    /// <summary>The runtime identifiers whose packages the tool package names (its DotnetToolSettings.xml); empty for a tool of one package.</summary>
    public static IReadOnlyList<string> RuntimeIdentifiers(string nupkg)
    {
        using var archive = ZipFile.OpenRead(nupkg);
        var settings = archive.Entries.Single(e => e.Name == "DotnetToolSettings.xml");
        using var stream = settings.Open();
        return XDocument.Load(stream).Descendants("RuntimeIdentifierPackage")
            .Select(p => (string)p.Attribute("RuntimeIdentifier")!)
            .ToList();
    }
}
