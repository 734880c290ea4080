using System.Security.Cryptography;

namespace Bundler.Testing.ObjectStores;

/// <summary>
/// A real Azurite blob service (the Azure Storage emulator, from npm: <c>npm ci</c> in <c>tests/azurite</c>) on a
/// random loopback port, in memory, with a random account key, started for the tests and stopped after them.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string Account = "devstoreaccount1";

    private readonly ServerProcess _process;
    private readonly TempDirectory _workingDirectory;

    private AzuriteServer(ServerProcess process, TempDirectory workingDirectory, string accountKey)
    {
        _process = process;
        _workingDirectory = workingDirectory;
        BlobEndpoint = Endpoint(process.Port);
        AccountKey = accountKey;
    }

    /// <summary>The account's blob endpoint, http://127.0.0.1:PORT/devstoreaccount1/ (path-style, as emulators are).</summary>
    public Uri BlobEndpoint { get; }

    public string AccountKey { get; }

    /// <summary>Why the tests that need it are skipped, or null when node and Azurite are installed.</summary>
    public static string? SkipReason =>
        ExternalTool.Find("node") is null ? "needs node on PATH (apt-get install nodejs)"
        : !File.Exists(Script) ? "needs Azurite: npm ci in tests/azurite (.ci/run does)"
        : null;

    private static string Script => Path.Combine(RepositoryRoot.Path, "tests", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");

    /// <summary>The connection string of the account at <paramref name="endpoint"/> (this server, or a proxy in front of it).</summary>
    public string ConnectionString(Uri? endpoint = null) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={(endpoint is null ? BlobEndpoint : new Uri(endpoint, Account)).AbsoluteUri.TrimEnd('/')};";

    public static async Task<AzuriteServer> StartAsync()
    {
        var node = ExternalTool.Find("node") ?? throw new InvalidOperationException(SkipReason);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var workingDirectory = new TempDirectory();
        try
        {
            var process = await ServerProcess.StartAsync(
                node,
                port => [Script, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--loose", "--skipApiVersionCheck", "--disableProductStyleUrl", "--inMemoryPersistence"],
                Endpoint,
                new Dictionary<string, string> { ["AZURITE_ACCOUNTS"] = $"{Account}:{key}" },
                workingDirectory.Path);
            return new AzuriteServer(process, workingDirectory, key);
        }
        catch
        {
            workingDirectory.Dispose();
            throw;
        }
    }

    /// <summary>The plain-HTTP URL of <paramref name="blob"/> in <paramref name="container"/>.</summary>
    public Uri Url(string container, string blob) => new(BlobEndpoint, container + "/" + blob);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _workingDirectory.Dispose();
    }

    private static Uri Endpoint(int port) => new($"http://127.0.0.1:{port}/{Account}/");
}
