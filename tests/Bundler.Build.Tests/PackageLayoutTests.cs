using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace Bundler.Build.Tests;

/// <summary>What the Bundler.Build package holds: the task's whole runtime closure under tasks/, nothing for the consumer's compile.</summary>
[Collection(PackedFeed.Name)]
public sealed class PackageLayoutTests(PackagesFixture packages)
{
    [Fact]
    public void BuildPackage_Packed_CarriesEveryRuntimeDependencyUnderTasksAndNothingUnderLib()
    {
        using var package = ZipFile.OpenRead(Path.Combine(packages.Feed, $"Bundler.Build.{packages.Version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();

        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal));
        Assert.Contains("build/Bundler.Build.props", entries);
        Assert.Contains("build/Bundler.Build.targets", entries);
        Assert.DoesNotContain(entries, e => Path.GetFileName(e).StartsWith("Microsoft.Build", StringComparison.Ordinal));

        // Every runtime assembly the task's .deps.json lists (its closure, as the compiler saw it) is in the package.
        using var deps = JsonDocument.Parse(package.GetEntry("tasks/net10.0/Bundler.Build.deps.json")!.Open());
        var runtimeAssemblies = deps.RootElement.GetProperty("targets").EnumerateObject().Single().Value.EnumerateObject()
            .SelectMany(library => library.Value.TryGetProperty("runtime", out var runtime) ? runtime.EnumerateObject().Select(r => Path.GetFileName(r.Name)) : [])
            .ToList();
        Assert.Contains("NuGet.Versioning.dll", runtimeAssemblies);
        Assert.Contains("SharpCompress.dll", runtimeAssemblies);
        Assert.Contains("Bundler.Core.dll", runtimeAssemblies);
        foreach (var assembly in runtimeAssemblies)
        {
            Assert.Contains("tasks/net10.0/" + assembly, entries);
        }

        using var nuspecStream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName == "dependencies");
    }
}
