using Bundler.Core.Resolution.Locking;

namespace Bundler.Build.Tests;

/// <summary>Items a user can get wrong fail the build with the documented code and a message that names the item.</summary>
[Collection(PackedFeed.Name)]
public sealed class BadItemScenario(PackagesFixture packages)
{
    [Theory]
    [InlineData("""<BundleSource Include="local" Type="folder" Path="../archives" /><BundlePackage Include="alpha" />""", "BNDL0001", "BundlePackage 'alpha' has no Version")]
    [InlineData("""<BundleSource Include="local" Type="folder" Path="../archives" /><BundlePackage Include="alpha" Version="1.0.0" Source="nowhere" />""", "BNDL0003", "BundlePackage 'alpha' has Source 'nowhere'")]
    [InlineData("""<BundleSource Include="feed" Type="nuget" Url="https://example.invalid/v3/index.json" /><BundlePackage Include="alpha" Version="1.0.0" />""", "BNDL0005", "The BundlePackage items could not be resolved")]
    public async Task Build_BadItem_FailsWithItsCode(string items, string code, string message)
    {
        using var project = new ScenarioProject(packages, items);
        var result = await project.BuildAsync("-t:BundlePackages");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"error {code}: {message}", result.Output, StringComparison.Ordinal);
        var outputFolder = Path.GetDirectoryName(project.Bundle)!;
        Assert.False(Directory.Exists(outputFolder) && Directory.EnumerateFileSystemEntries(outputFolder).Any(), "nothing is written");
        Assert.False(File.Exists(project.LockFile));
    }
}
