using System.Net;
using System.Security.Cryptography.X509Certificates;
using Bundler.Comparison.Browser;
using Bundler.Comparison.Report;
using Bundler.Loader;
using Bundler.Loader.Http;
using Bundler.Loader.Loading;
using Bundler.Serving;
using Bundler.Serving.Network;
using Bundler.Serving.Tls;

namespace Bundler.Comparison;

/// <summary>
/// Serves a publish folder on 127.0.0.1 through each simulated network and loads it in each mode, in alternation
/// (A B C A B C …) so drift on the machine affects every mode alike. Every run is cold: a new client (new
/// connections) and an empty target folder. With <see cref="ComparisonOptions.Tls"/> every server speaks HTTPS with one
/// certificate made for the run, which the loads (and only they) trust; each protocol is then asked for by ALPN. With
/// <see cref="ComparisonOptions.UpdateFrom"/>, update runs load into a target that already holds the older set. With
/// the browser among <see cref="ComparisonOptions.Clients"/>, each of its runs is a new headless Chromium with an
/// empty profile, which loads from the same server, cross-origin, with the browser loader.
/// </summary>
internal static class ComparisonRunner
{
    public static async Task<IReadOnlyList<ComparisonScenario>> RunAsync(
        string publishFolder,
        ComparisonOptions options,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        var browser = options.Clients.Contains(ComparisonClient.Browser);
        if (browser && !options.Tls && options.Protocols.Contains(ServeProtocols.Http2))
        {
            throw new BundleException("Browsers speak HTTP/2 only over TLS: compare the browser with --tls, or over --protocol h1 alone.");
        }

        var scenarios = new List<ComparisonScenario>();
        var scratch = Directory.CreateTempSubdirectory("bundler-compare-");
        using var certificate = options.Tls ? ServerCertificate.CreateDevelopment() : null;
        await using var site = browser ? await BrowserLoaderSite.StartAsync(cancellationToken) : null;
        try
        {
            if (options.Clients.Contains(ComparisonClient.DotNet))
            {
                await WarmUpAsync(publishFolder, options, certificate, scratch.FullName, cancellationToken);
            }

            foreach (var network in options.Networks)
            {
                foreach (var protocol in options.Protocols)
                {
                    var runs = await RunScenarioAsync(publishFolder, network, protocol, certificate, site, options, scratch.FullName, progress, cancellationToken);
                    scenarios.Add(new ComparisonScenario(network, ProtocolName(protocol, options.Tls), runs));
                }
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        return scenarios;
    }

    /// <summary>
    /// Loads once in every mode, unmeasured, so the first measured run does not also pay for compiling the loader's
    /// code: a deployed application loads once per process, but this process loads dozens of times.
    /// </summary>
    private static async Task WarmUpAsync(string publishFolder, ComparisonOptions options, X509Certificate2? certificate, string scratch, CancellationToken cancellationToken)
    {
        await using var server = await StaticFileServer.StartAsync(publishFolder, new StaticFileServerOptions { Protocols = ServeProtocols.Both, Certificate = certificate }, null, cancellationToken);
        foreach (var protocol in new[] { ServeProtocols.Http1, ServeProtocols.Http2 })
        {
            foreach (var mode in options.Modes)
            {
                await ColdLoadAsync(server, protocol, mode, options.MinimumRate, Path.Combine(scratch, $"warm-up-{protocol}-{mode}"), cancellationToken);
            }
        }
    }

    public static string ProtocolName(ServeProtocols protocol, bool tls) =>
        (protocol == ServeProtocols.Http2 ? "HTTP/2" : "HTTP/1.1") + (tls ? " + TLS" : "");

    private static async Task<List<ComparisonRun>> RunScenarioAsync(
        string publishFolder,
        NetworkProfile network,
        ServeProtocols protocol,
        X509Certificate2? certificate,
        BrowserLoaderSite? site,
        ComparisonOptions options,
        string scratch,
        Action<string> progress,
        CancellationToken cancellationToken)
    {
        var log = new List<ServedRequest>();
        var serverOptions = new StaticFileServerOptions { Network = network, Protocols = protocol, Certificate = certificate, AllowAnyOrigin = site is not null };
        await using var server = await StaticFileServer.StartAsync(publishFolder, serverOptions, r =>
        {
            lock (log)
            {
                log.Add(r);
            }
        }, cancellationToken);
        var runs = new List<ComparisonRun>();
        for (var round = 1; round <= options.Runs; round++)
        {
            foreach (var (mode, update, client) in Kinds(options))
            {
                if (client == ComparisonClient.Browser)
                {
                    lock (log)
                    {
                        log.Clear();
                    }

                    var browserRun = await BrowserRunAsync(site!, server, mode, log, cancellationToken);
                    runs.Add(browserRun.Run);
                    progress($"{network.Name} {ProtocolName(protocol, options.Tls)} {browserRun.Run.Mode} run {round}/{options.Runs}: {browserRun.Run.Wall.TotalSeconds:0.000} s, "
                        + $"{browserRun.Run.Requests} {(browserRun.Run.Requests == 1 ? "request" : "requests")}, {ByteSize.Format(browserRun.Run.Bytes)}, {browserRun.Protocol}");
                    continue;
                }

                var target = Path.Combine(scratch, $"{network.Name}-{protocol}-{mode}-{(update ? "update-" : "")}{round}");
                if (update)
                {
                    await PackageLoader.LoadAsync(options.UpdateFrom!, target, new PackageLoadOptions { Mode = mode }, cancellationToken);
                }

                lock (log)
                {
                    log.Clear();
                }

                var start = server.Elapsed;
                var report = await ColdLoadAsync(server, protocol, mode, options.MinimumRate, target, cancellationToken);
                var wall = server.Elapsed - start;
                await server.WaitUntilIdleAsync(cancellationToken);
                List<ServedRequest> requests;
                lock (log)
                {
                    requests = [.. log];
                }

                var name = mode.ToString().ToLowerInvariant() + (update ? ComparisonScenario.UpdateSuffix : "");
                var run = new ComparisonRun(name, wall, requests.Sum(r => r.Bytes), requests.Count, requests.Select(r => r.Connection).Distinct().Count(),
                    WaterfallBuilder.FromServerLog(requests, start, wall));
                runs.Add(run);
                progress($"{network.Name} {ProtocolName(protocol, options.Tls)} {name} run {round}/{options.Runs}: {wall.TotalSeconds:0.000} s, {run.Requests} {(run.Requests == 1 ? "request" : "requests")}, {ByteSize.Format(run.Bytes)}"
                    + (report.Warnings.Count > 0 ? " (" + string.Join("; ", report.Warnings) + ")" : ""));
            }
        }

        return runs;
    }

    /// <summary>
    /// Each mode, then (with <see cref="ComparisonOptions.UpdateFrom"/>) each mode as an update, then the browser's
    /// modes (bundle and files, never as an update), in alternation.
    /// </summary>
    private static IEnumerable<(LoadMode Mode, bool Update, ComparisonClient Client)> Kinds(ComparisonOptions options)
    {
        var dotnet = options.Clients.Contains(ComparisonClient.DotNet) ? options.Modes : [];
        var browser = options.Clients.Contains(ComparisonClient.Browser) ? options.Modes.Where(m => m is LoadMode.Bundle or LoadMode.Files) : [];
        return dotnet.Select(m => (m, false, ComparisonClient.DotNet))
            .Concat(options.UpdateFrom is null ? [] : dotnet.Select(m => (m, true, ComparisonClient.DotNet)))
            .Concat(browser.Select(m => (m, false, ComparisonClient.Browser)));
    }

    /// <summary>
    /// One load by the browser loader in a new Chromium (an empty profile: no cache, no connections), timed by the
    /// loader's own clock and drawn from the Resource Timing of its requests, with the bytes the server sent.
    /// </summary>
    private static async Task<(ComparisonRun Run, string Protocol)> BrowserRunAsync(BrowserLoaderSite site, StaticFileServer server, LoadMode mode, List<ServedRequest> log, CancellationToken cancellationToken)
    {
        var url = (server.HttpsUrl ?? server.Http1Url)!;
        BrowserLoadResult result;
        await using (var browser = await HeadlessBrowser.LaunchAsync(server.Certificate is { } certificate ? ServerCertificate.SpkiSha256(certificate) : null, cancellationToken))
        {
            result = await site.LoadAsync(browser, url, mode.ToString().ToLowerInvariant(), null, listFiles: false, cancellationToken);
        }

        if (!result.Ok)
        {
            throw new BundleException($"The browser loader failed to load {url}: {result.Error}");
        }

        await server.WaitUntilIdleAsync(cancellationToken);
        List<ServedRequest> requests;
        lock (log)
        {
            requests = [.. log];
        }

        var wall = TimeSpan.FromMilliseconds(result.ElapsedMs);
        var protocols = string.Join("+", result.Resources.Select(r => r.Protocol).Distinct());
        var name = mode.ToString().ToLowerInvariant() + ComparisonScenario.BrowserSuffix;
        return (new ComparisonRun(name, wall, requests.Sum(r => r.Bytes), requests.Count, requests.Select(r => r.Connection).Distinct().Count(),
            WaterfallBuilder.FromResourceTiming(result.Resources, requests, wall)), protocols);
    }

    /// <summary>One load with a new client (new connections) into <paramref name="target"/>, which is deleted afterwards.</summary>
    private static async Task<LoadReport> ColdLoadAsync(StaticFileServer server, ServeProtocols protocol, LoadMode mode, MinimumTransferRate minimumRate, string target, CancellationToken cancellationToken)
    {
        var baseUrl = (server.HttpsUrl ?? (protocol == ServeProtocols.Http2 ? server.Http2Url : server.Http1Url))!;
        using var client = CreateClient(protocol, server.Certificate);
        var report = await PackageLoader.LoadAsync(baseUrl.AbsoluteUri, target, new PackageLoadOptions { Mode = mode, HttpClient = client, MinimumRate = minimumRate }, cancellationToken);
        Directory.Delete(target, recursive: true);
        return report;
    }

    private static HttpClient CreateClient(ServeProtocols protocol, X509Certificate2? trusted) => new HttpClientSettings
    {
        TrustedCertificate = trusted,
        RequestVersion = protocol == ServeProtocols.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    }.CreateClient();
}
