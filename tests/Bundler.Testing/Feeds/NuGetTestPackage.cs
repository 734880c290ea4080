using System.IO.Compression;
using System.Security;
using System.Text;

namespace Bundler.Testing.Feeds;

/// <summary>A dependency of a test package: an id, a NuGet range and the target framework of its group (null: no framework).</summary>
public sealed record TestDependency(string Id, string Range, string? Framework = null);

/// <summary>A package a <see cref="NuGetTestFeed"/> serves; its .nupkg is a real zip with a .nuspec and one assembly-sized file.</summary>
public sealed record NuGetTestPackage(string Id, string Version, IReadOnlyList<TestDependency> Dependencies)
{
    public string LowerId => Id.ToLowerInvariant();

    public string LowerVersion => NuGet.Versioning.NuGetVersion.Parse(Version).ToNormalizedString().ToLowerInvariant();

    public IEnumerable<IGrouping<string?, TestDependency>> Groups => Dependencies.GroupBy(d => d.Framework);

    public string Nuspec()
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\">\n  <metadata>\n");
        xml.Append($"    <id>{SecurityElement.Escape(Id)}</id>\n    <version>{SecurityElement.Escape(Version)}</version>\n");
        xml.Append("    <authors>tests</authors>\n    <description>A package made by the tests.</description>\n");
        if (Dependencies.Count > 0)
        {
            xml.Append("    <dependencies>\n");
            foreach (var group in Groups)
            {
                xml.Append(group.Key is null ? "      <group>\n" : $"      <group targetFramework=\"{group.Key}\">\n");
                foreach (var dependency in group)
                {
                    xml.Append($"        <dependency id=\"{SecurityElement.Escape(dependency.Id)}\" version=\"{SecurityElement.Escape(dependency.Range)}\" />\n");
                }

                xml.Append("      </group>\n");
            }

            xml.Append("    </dependencies>\n");
        }

        xml.Append("  </metadata>\n</package>\n");
        return xml.ToString();
    }

    public byte[] Nupkg()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, LowerId + ".nuspec", Encoding.UTF8.GetBytes(Nuspec()));
            Write(zip, $"lib/netstandard2.0/{Id}.dll", Encoding.UTF8.GetBytes($"{Id} {Version}"));
        }

        return buffer.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name);
        entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
