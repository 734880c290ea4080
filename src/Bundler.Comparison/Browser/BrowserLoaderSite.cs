using System.Globalization;
using System.Text.Json;
using Bundler.Serving;

namespace Bundler.Comparison.Browser;

/// <summary>
/// Serves the harness page and the browser loader from a server of their own, on another port than the publish
/// folder's, so a load opens its own connections (cold) and fetches cross-origin as from a CDN.
/// </summary>
internal sealed class BrowserLoaderSite : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;
    private readonly StaticFileServer _server;

    private BrowserLoaderSite(DirectoryInfo folder, StaticFileServer server)
    {
        _folder = folder;
        _server = server;
    }

    public Uri PageUrl => new(_server.Http1Url!, "harness.html");

    public static async Task<BrowserLoaderSite> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("bundler-browser-");
        try
        {
            BrowserLoaderAssets.WriteTo(folder.FullName);
            var server = await StaticFileServer.StartAsync(folder.FullName, new StaticFileServerOptions { Protocols = ServeProtocols.Http1 }, null, cancellationToken);
            return new BrowserLoaderSite(folder, server);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Opens the harness in <paramref name="browser"/> and loads the publish folder at <paramref name="folder"/> in
    /// <paramref name="mode"/> (<c>bundle</c> or <c>files</c>), pinned to <paramref name="expectedIntegrity"/> when given.
    /// </summary>
    public async Task<BrowserLoadResult> LoadAsync(HeadlessBrowser browser, Uri folder, string mode, string? expectedIntegrity, bool listFiles, CancellationToken cancellationToken)
    {
        await browser.NavigateAsync(PageUrl, cancellationToken);
        await browser.EvaluateAsync("new Promise(resolve => { const check = () => document.title === 'ready' ? resolve(true) : setTimeout(check, 10); check(); })", cancellationToken);
        var options = new Dictionary<string, string> { ["mode"] = mode };
        if (expectedIntegrity is not null)
        {
            options["expectedIntegrity"] = expectedIntegrity;
        }

        var call = string.Create(CultureInfo.InvariantCulture,
            $"window.bundlerLoad({JsonSerializer.Serialize(folder.AbsoluteUri, BrowserJsonContext.Default.String)}, {JsonSerializer.Serialize(options, BrowserJsonContext.Default.DictionaryStringString)}, {(listFiles ? "true" : "false")})");
        var value = await browser.EvaluateAsync(call, cancellationToken);
        return value.Deserialize(BrowserJsonContext.Default.BrowserLoadResult) ?? throw new InvalidOperationException("The harness page returned nothing.");
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
