using System.Text;
using System.Text.Json;
using Bundler.Loader.Loading;
using Bundler.Testing;

namespace Bundler.Cli.Tests.Publishing;

/// <summary>What the object-store tests check the same way for every store.</summary>
internal static class StoreChecks
{
    private static readonly HttpClient Http = new();

    /// <summary>Runs <c>pack --from-dir FROM --publish LOCATION --json</c> and returns its <c>published</c> member.</summary>
    public static async Task<JsonElement> PublishJsonAsync(string from, string location)
    {
        var pack = await CliRun.RunAsync(["pack", "--from-dir", from, "--publish", location, "--json"]);
        Assert.True(pack.ExitCode == 0, pack.Error);
        using var json = JsonDocument.Parse(pack.Output);
        return json.RootElement.GetProperty("published").Clone();
    }

    /// <summary>The Cache-Control the store sends with the object at <paramref name="url"/>, read anonymously.</summary>
    public static async Task<string?> CacheControlOfAsync(Uri url)
    {
        using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return response.Headers.CacheControl?.ToString();
    }

    public static Task<byte[]> ReadAsync(Uri url) => Http.GetByteArrayAsync(url);

    /// <summary>Loads <paramref name="location"/> in every mode and compares each tree with <paramref name="expected"/>.</summary>
    public static async Task AssertLoadsInEveryModeAsync(string location, string expected, TempDirectory temp)
    {
        foreach (var mode in new[] { LoadMode.Bundle, LoadMode.Files, LoadMode.Ranges })
        {
            var target = temp["after-" + mode];
            await PackageLoader.LoadAsync(location, target, new PackageLoadOptions { Mode = mode });
            Assert.Equal(TreeAssert.Snapshot(expected), TreeAssert.Snapshot(target));
        }
    }

    /// <summary>Checks that <paramref name="secret"/> is in none of the runs' output and in no file under <paramref name="folder"/>.</summary>
    public static void AssertSecretNowhere(string secret, string folder, params (string What, string Output)[] runs)
    {
        foreach (var (what, text) in runs)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} printed the secret");
        }

        Assert.All(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories), file =>
            Assert.False(Encoding.Latin1.GetString(File.ReadAllBytes(file)).Contains(secret, StringComparison.Ordinal), $"{file} holds the secret"));
    }
}
