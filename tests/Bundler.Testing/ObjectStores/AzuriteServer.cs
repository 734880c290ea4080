using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Bundler.Testing.ObjectStores;

/// <summary>
/// A real Azurite blob service (the Azure Storage emulator, from npm: <c>npm ci</c> in <c>tests/azurite</c>) on a
/// random loopback port, in memory, with a random account key, started for the tests and stopped after them.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    public const string Account = "devstoreaccount1";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;
    private readonly TempDirectory _data;

    private AzuriteServer(Process process, TempDirectory data, Uri blobEndpoint, string accountKey)
    {
        _process = process;
        _data = data;
        BlobEndpoint = blobEndpoint;
        AccountKey = accountKey;
    }

    /// <summary>The account's blob endpoint, http://127.0.0.1:PORT/devstoreaccount1/ (path-style, as emulators are).</summary>
    public Uri BlobEndpoint { get; }

    public string AccountKey { get; }

    /// <summary>The connection string of the account at <paramref name="endpoint"/> (this server, or a proxy in front of it).</summary>
    public string ConnectionString(Uri? endpoint = null) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={(endpoint is null ? BlobEndpoint : new Uri(endpoint, Account)).AbsoluteUri.TrimEnd('/')};";

    private static string Script => System.IO.Path.Combine(RepositoryRoot.Path, "tests", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");

    /// <summary>Why the tests that need it are skipped, or null when node and Azurite are installed.</summary>
    public static string? SkipReason =>
        ExternalTool.Find("node") is null ? "needs node on PATH (apt-get install nodejs)"
        : !File.Exists(Script) ? "needs Azurite: npm ci in tests/azurite (.ci/run does)"
        : null;

    public static async Task<AzuriteServer> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var data = new TempDirectory();
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
            var start = new ProcessStartInfo(ExternalTool.Find("node") ?? throw new InvalidOperationException(SkipReason))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { Script, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--loose", "--skipApiVersionCheck", "--disableProductStyleUrl", "--inMemoryPersistence" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["AZURITE_ACCOUNTS"] = $"{Account}:{key}";
            // In memory: nothing to clean up; the working folder is a fresh one all the same, for anything it writes.
            start.WorkingDirectory = data.Path;
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new AzuriteServer(process, data, new Uri($"http://127.0.0.1:{port}/{Account}/"), key);
            if (await server.WaitUntilUpAsync())
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite did not start on 127.0.0.1:{port}.");
            }
        }
    }

    /// <summary>The plain-HTTP URL of <paramref name="blob"/> in <paramref name="container"/>.</summary>
    public Uri Url(string container, string blob) => new(BlobEndpoint, container + "/" + blob);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _data.Dispose();
    }

    private async Task<bool> WaitUntilUpAsync()
    {
        for (var waited = 0; waited < 300 && !_process.HasExited; waited++)
        {
            try
            {
                using var response = await Http.GetAsync(BlobEndpoint);
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
