using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Sources;

namespace Bundler.Testing.Sources;

/// <summary>Writes a bundle.json into a temporary folder and resolves it with a real HTTP client.</summary>
internal sealed class PackageSetHarness : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All });

    public TempDirectory Temp { get; } = new();

    public string BundleJson => Temp["bundle.json"];

    public string Write(string json)
    {
        File.WriteAllText(BundleJson, json);
        return BundleJson;
    }

    public async Task<ResolvedSet> ResolveAsync(string json)
    {
        Write(json);
        var set = await PackageSetParser.LoadAsync(BundleJson, CancellationToken.None);
        return await PackageResolver.ResolveAsync(new PackageSources(set, _client), CancellationToken.None);
    }

    /// <summary>The set as <c>id version</c> strings, sorted.</summary>
    public static string[] Names(ResolvedSet set) => [.. set.Packages.Select(p => $"{p.Id} {p.Version}")];

    public void Dispose()
    {
        _client.Dispose();
        Temp.Dispose();
    }
}
