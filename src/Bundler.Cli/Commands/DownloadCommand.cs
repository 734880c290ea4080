using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Cli.Progress;
using Bundler.Core.Download;
using Bundler.Core.IO;
using Bundler.Core.Sources.Urls;
using Bundler.Loader;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary>
/// <c>download --urls FILE [-o DIR]</c>: runs the download engine on a list of URLs (one per line, optionally followed by
/// an SRI hash and a size), filling the cache and, with <c>-o</c>, copying each file into DIR under its URL's file name.
/// </summary>
internal static class DownloadCommand
{
    /// <summary>The longest --stall-timeout, in seconds: a day.</summary>
    private const double MaxStallSeconds = 86_400;

    public static Command Create(TextWriter output)
    {
        var urls = new Option<FileInfo>("--urls") { Description = "File of lines 'URL [sha512-…|sha256-…] [size]'; # starts a comment.", Required = true };
        var outputDir = new Option<DirectoryInfo?>("--output", "-o") { Description = "Copy each file here, named after its URL's last segment (written atomically)." };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = $"Cache folder (default: ${ContentCache.EnvironmentVariable}, else the user cache folder)." };
        var concurrency = new Option<int?>("--concurrency", "-j") { Description = "Requests in flight: a number, or 'adaptive' (the default: per host, backs off on 429/timeouts/resets).", CustomParser = ParseConcurrency };
        var maxPerHost = new Option<int>("--max-per-host") { Description = "Most requests per host when adaptive.", DefaultValueFactory = _ => new DownloadOptions().MaxPerHost }.AtLeast(1);
        var segments = new Option<int>("--segments") { Description = "Most Range requests one file uses at once: large files start split, any file's rest is split over idle slots at the end (1: off).", DefaultValueFactory = _ => new DownloadOptions().Segments }.AtLeast(1);
        var segmentThreshold = OptionValues.Size("--segment-threshold", "Smallest file split into segments: bytes, or with K or M.", "16M").AtLeast(1);
        var retries = new Option<int>("--retries") { Description = "Retries per file after transient failures.", DefaultValueFactory = _ => new DownloadOptions().MaxRetries }.NonNegative();
        var stall = new Option<double>("--stall-timeout") { Description = "Seconds without a byte before a request is abandoned and resumed.", DefaultValueFactory = _ => new DownloadOptions().StallTimeout.TotalSeconds }.Positive(MaxStallSeconds);
        var minimumRate = MinimumRateOption.Create();
        var h2c = new Option<bool>("--h2c") { Description = "Speak HTTP/2 over cleartext with prior knowledge." };
        var progress = new Option<string>("--progress") { Description = "auto (a live bar in a terminal, lines otherwise), live, plain or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong(ProgressDisplay.Modes);
        var allowPrivateRedirects = RedirectOptions.AllowPrivateRedirects();
        var json = new Option<bool>("--json") { Description = "Print each archive's URL, cache path, size, integrity and requests as JSON (no progress)." };

        var command = new Command("download", "Download archives into the verified, content-addressed cache (and optionally a folder).")
        {
            urls, outputDir, cache, concurrency, maxPerHost, segments, segmentThreshold, retries, stall, minimumRate, h2c, allowPrivateRedirects, progress, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DownloadOptions
            {
                Concurrency = parse.GetValue(concurrency),
                MaxPerHost = parse.GetValue(maxPerHost),
                Segments = parse.GetValue(segments),
                SegmentThreshold = parse.GetValue(segmentThreshold),
                MaxRetries = parse.GetValue(retries),
                StallTimeout = TimeSpan.FromSeconds(parse.GetValue(stall)),
                MinimumRate = parse.GetRequiredValue(minimumRate),
                CacheDirectory = parse.GetValue(cache)?.FullName,
                AllowPrivateNetworkRedirects = parse.GetValue(allowPrivateRedirects),
            };
            var requests = await UrlListFile.ReadAsync(parse.GetRequiredValue(urls).FullName, cancellationToken);
            var target = parse.GetValue(outputDir);
            var names = target is null ? null : OutputNames(requests);

            using var client = BundlerHttpClient.Create(parse.GetValue(h2c), options.AllowPrivateNetworkRedirects);
            var engine = new DownloadEngine(client, options);
            var stopwatch = Stopwatch.StartNew();
            IReadOnlyList<DownloadResult> results;
            try
            {
                results = await ProgressDisplay.RunAsync(parse.GetValue(json) ? "none" : parse.GetRequiredValue(progress), output, p => engine.DownloadAsync(requests, p, cancellationToken));
            }
            catch (DownloadException ex)
            {
                throw new Loader.BundleException(ex.Message, ex);
            }

            if (target is not null)
            {
                Directory.CreateDirectory(target.FullName);
                for (var i = 0; i < results.Count; i++)
                {
                    await AtomicFile.CopyAsync(results[i].Path, Path.Combine(target.FullName, names![i]), cancellationToken);
                }
            }

            stopwatch.Stop();
            var bytes = results.Sum(r => r.BytesTransferred);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            if (parse.GetValue(json))
            {
                var files = results.Select(r => new DownloadedFile(r.Request.Url.AbsoluteUri, r.Path, r.Size, r.Integrity, r.FromCache, r.BytesTransferred, r.Requests)).ToList();
                await output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new DownloadSummary(engine.CacheDirectory, seconds, files), CliJsonContext.Default.DownloadSummary));
                return ExitCodes.Success;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Downloaded {results.Count(r => !r.FromCache)} files ({results.Count(r => r.FromCache)} from the cache), {ByteSize.Format(bytes)} in {results.Sum(r => r.Requests)} requests, {seconds:0.00} s, {bytes / 1e6 / Math.Max(seconds, 1e-6):0.0} MB/s; cache: {engine.CacheDirectory}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static int? ParseConcurrency(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "adaptive";
        if (text.Equals("adaptive", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        result.AddError($"--concurrency '{text}' is neither a positive number nor 'adaptive'.");
        return null;
    }

    private static string[] OutputNames(List<DownloadRequest> requests)
    {
        var names = requests.Select(r => Uri.UnescapeDataString(r.Url.Segments[^1])).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            if (name.Length == 0 || name.EndsWith('/') || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                throw new Loader.BundleException($"{requests[i].Url} does not end in a usable file name; download it without -o and read it from the cache.");
            }
        }

        var clash = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return clash is null ? names : throw new Loader.BundleException($"Several URLs end in the file name '{clash.Key}'; -o needs distinct names.");
    }
}
