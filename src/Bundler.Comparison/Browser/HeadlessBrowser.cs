using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bundler.Loader;

namespace Bundler.Comparison.Browser;

/// <summary>
/// The machine's Chromium, headless, with a profile of its own that is deleted with it (so every instance starts
/// cold: no cache, no connections, no cookies), driven over the DevTools protocol. A server certificate is trusted
/// only by this instance, by its public key's hash.
/// </summary>
internal sealed partial class HeadlessBrowser : IAsyncDisposable
{
    private static readonly string[] ExecutableNames = ["chromium", "chromium-browser", "google-chrome"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly DevToolsSession _page;

    private HeadlessBrowser(Process process, DirectoryInfo profile, DevToolsSession page)
    {
        _process = process;
        _profile = profile;
        _page = page;
    }

    /// <summary>The Chromium on PATH, or null.</summary>
    public static string? Find() =>
        ExecutableNames
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);

    /// <param name="trustedSpkiSha256">The Base64 SHA-256 of a server certificate's public key to accept, or null.</param>
    public static async Task<HeadlessBrowser> LaunchAsync(string? trustedSpkiSha256, CancellationToken cancellationToken)
    {
        var executable = Find() ?? throw new BundleException("Chromium is not on PATH; install it (apt-get install chromium) to load in a browser.");
        var profile = Directory.CreateTempSubdirectory("bundler-chromium-");
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
            "--user-data-dir=" + profile.FullName,
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (trustedSpkiSha256 is not null)
        {
            start.ArgumentList.Add("--ignore-certificate-errors-spki-list=" + trustedSpkiSha256);
        }

        start.ArgumentList.Add("about:blank");
        var process = Process.Start(start) ?? throw new BundleException($"Could not start '{executable}'.");
        try
        {
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var endpoint = await ReadDevToolsEndpointAsync(process, cancellationToken);
            var page = await DevToolsSession.ConnectAsync(await PageTargetAsync(endpoint, cancellationToken), cancellationToken);
            return new HeadlessBrowser(process, profile, page);
        }
        catch
        {
            Stop(process, profile);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in the page and waits until it has loaded.</summary>
    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        await _page.SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, cancellationToken);
        await EvaluateAsync("new Promise(resolve => document.readyState === 'complete' ? resolve(true) : addEventListener('load', () => resolve(true)))", cancellationToken);
    }

    /// <summary>Evaluates a script expression in the page, awaiting the promise it gives, and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await _page.SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        }, cancellationToken);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            var description = exception.TryGetProperty("exception", out var thrown) && thrown.TryGetProperty("description", out var text) ? text.GetString() : exception.GetProperty("text").GetString();
            throw new InvalidOperationException("The page threw: " + description);
        }

        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var json) ? json.Clone() : default;
    }

    private static async Task<Uri> ReadDevToolsEndpointAsync(Process process, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var seen = new List<string>();
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            var match = DevToolsListening().Match(line);
            if (match.Success)
            {
                _ = DrainAsync(process.StandardError);
                return new Uri(match.Groups[1].Value);
            }

            seen.Add(line);
        }

        throw new BundleException($"Chromium exited before it opened its DevTools port: {string.Join(" | ", seen.TakeLast(5))}");
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private static async Task<Uri> PageTargetAsync(Uri browserEndpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var list = new Uri($"http://{browserEndpoint.Authority}/json/list");
        var targets = await http.GetFromJsonAsync(list, BrowserJsonContext.Default.JsonElement, cancellationToken);
        foreach (var target in targets.EnumerateArray())
        {
            if (target.GetProperty("type").GetString() == "page")
            {
                return new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!);
            }
        }

        throw new BundleException($"Chromium's DevTools ({list}) lists no page.");
    }

    private static void Stop(Process process, DirectoryInfo profile)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        process.Dispose();
        try
        {
            profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A child that is still writing its profile: the temporary folder is cleaned by the system.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _page.DisposeAsync();
        Stop(_process, _profile);
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsListening();
}
