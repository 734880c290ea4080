using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Comparison;
using Bundler.Comparison.Report;
using Bundler.Comparison.SampleSets;
using Bundler.Core.IO;
using Bundler.Core.Pipeline;
using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Serving;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary>
/// <c>compare INPUT</c>: is one bundle faster than many files on this network? Serves the package set on 127.0.0.1
/// through each simulated network, loads it in every mode in alternation, prints a table per scenario and writes an
/// HTML report with waterfalls.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Most cold runs per mode and scenario: enough for a stable median, few enough to finish today.</summary>
    private const int MaxRuns = 1000;

    public static Command Create(TextWriter output)
    {
        var input = new Argument<string?>("input") { Description = "A publish folder (written by 'pack --publish'), a folder of archives named <id>.<version>.<ext>, or a bundle.json; the last two are published to a temporary folder first. Without it, a generated set shaped like a real closure (40 NuGet and npm archives, ~2,300 mostly small files).", Arity = ArgumentArity.ZeroOrOne };
        var presets = new Option<string[]>("--preset") { Description = "Networks to compare under (repeatable): " + string.Join(", ", NetworkPresets.Names) + ".", DefaultValueFactory = _ => ["cable", "4g"], AllowMultipleArgumentsPerToken = true };
        presets.AcceptOnlyFromAmong([.. NetworkPresets.Names]);
        var protocols = new Option<string[]>("--protocol") { Description = "h1, h2 or both (repeatable).", DefaultValueFactory = _ => ["h1", "h2"], AllowMultipleArgumentsPerToken = true };
        protocols.AcceptOnlyFromAmong("h1", "h2");
        var modes = new Option<string[]>("--mode") { Description = "Load modes to compare (repeatable): bundle, files, ranges.", DefaultValueFactory = _ => ["bundle", "files", "ranges"], AllowMultipleArgumentsPerToken = true };
        modes.AcceptOnlyFromAmong("bundle", "files", "ranges");
        var clients = new Option<string[]>("--client") { Description = "Who loads (repeatable): dotnet (the .NET loader), browser (the browser loader in headless Chromium, a fresh profile per run; bundle and files modes; h2 needs --tls).", DefaultValueFactory = _ => ["dotnet"], AllowMultipleArgumentsPerToken = true };
        clients.AcceptOnlyFromAmong("dotnet", "browser");
        var tls = new Option<bool>("--tls") { Description = "Serve over HTTPS as a CDN does (HTTP/2 or HTTP/1.1 by ALPN, the handshake's round trips on the simulated network), with a certificate made for the run that only these loads trust." };
        var updateFrom = new Option<string?>("--update-from") { Description = "The set as it was before (a publish folder, a folder of archives or a bundle.json): each mode also runs as an update, loading into a folder that holds this set, so only what changed is fetched." };
        var runs = new Option<int>("--runs") { Description = "Cold runs of each mode per scenario.", DefaultValueFactory = _ => 3 }.InRange(1, MaxRuns);
        var minimumRate = MinimumRateOption.Create();
        var json = new Option<bool>("--json") { Description = "Print the results as JSON (one row per scenario and mode) instead of tables and progress." };
        var report = new Option<FileInfo>("--report") { Description = "Where to write the HTML report.", DefaultValueFactory = _ => new FileInfo("compare-report.html") };
        var command = new Command("compare", "Load the same package set as one bundle and as many files, on the same local server under simulated networks, and report which is faster.")
        {
            input, presets, protocols, modes, clients, tls, updateFrom, runs, minimumRate, report, json,
        };
        command.Validators.Add(result =>
        {
            var browser = (result.GetValue(clients) ?? []).Contains("browser");
            if (browser && !result.GetValue(tls) && (result.GetValue(protocols) ?? []).Contains("h2"))
            {
                result.AddError("Browsers speak HTTP/2 only over TLS: add --tls, or compare the browser over --protocol h1 alone.");
            }

            if (browser && !(result.GetValue(modes) ?? []).Any(m => m is "bundle" or "files"))
            {
                result.AddError("The browser loads in bundle and files mode: add --mode bundle or --mode files.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ComparisonOptions
            {
                Networks = [.. parse.GetRequiredValue(presets).Distinct().Select(p => NetworkPresets.Find(p)!)],
                Protocols = [.. parse.GetRequiredValue(protocols).Distinct().Select(p => p == "h2" ? ServeProtocols.Http2 : ServeProtocols.Http1)],
                Modes = [.. parse.GetRequiredValue(modes).Distinct().Select(m => Enum.Parse<LoadMode>(m, ignoreCase: true))],
                Runs = parse.GetValue(runs),
                Clients = [.. parse.GetRequiredValue(clients).Distinct().Select(c => c == "browser" ? ComparisonClient.Browser : ComparisonClient.DotNet)],
                Tls = parse.GetValue(tls),
                MinimumRate = parse.GetRequiredValue(minimumRate),
            };
            var reportFile = parse.GetRequiredValue(report).FullName;
            var inputArgument = parse.GetValue(input);

            var asJson = parse.GetValue(json);
            var progress = asJson ? TextWriter.Null : output;
            var updateArgument = parse.GetValue(updateFrom);
            var previous = updateArgument is null ? null : await PrepareAsync(Path.GetFullPath(updateArgument), progress, cancellationToken);
            PreparedSet? prepared = null;
            try
            {
                prepared = inputArgument is null
                    ? await PrepareSampleAsync(progress, cancellationToken)
                    : await PrepareAsync(Path.GetFullPath(inputArgument), progress, cancellationToken);
                var scenarios = await ComparisonRunner.RunAsync(prepared.PublishFolder, options with { UpdateFrom = previous?.PublishFolder }, line => progress.WriteLine(line), cancellationToken);
                var result = new ComparisonReport(prepared.Name, prepared.Manifest.Packages.Count, prepared.BundleBytes, prepared.ArchiveBytes, options.Runs, DateTimeOffset.UtcNow, scenarios);
                await WriteReportAsync(reportFile, HtmlReport.Render(result), cancellationToken);
                if (asJson)
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(Summary(reportFile, result), CliJsonContext.Default.CompareSummary));
                }
                else
                {
                    WriteTables(output, result);
                    await output.WriteLineAsync($"Report: {reportFile}");
                }
            }
            finally
            {
                foreach (var set in new[] { prepared, previous })
                {
                    if (set is { Temporary: true })
                    {
                        Directory.Delete(set.PublishFolder, recursive: true);
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<PreparedSet> PrepareSampleAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var archives = Path.Combine(Path.GetTempPath(), $"bundler-compare-sample-{Guid.NewGuid():N}");
        try
        {
            SamplePackageSet.Write(archives);
            var packages = FolderArchiveScanner.Scan(archives);
            await output.WriteLineAsync($"Publishing the generated sample set ({packages.Count} archives) …");
            return await PublishTemporaryAsync("sample set", packages, cancellationToken);
        }
        finally
        {
            Directory.Delete(archives, recursive: true);
        }
    }

    private static async Task<PreparedSet> PrepareAsync(string inputPath, TextWriter output, CancellationToken cancellationToken)
    {
        if (File.Exists(inputPath))
        {
            await output.WriteLineAsync($"Resolving and downloading {inputPath} …");
            var inputs = await PackageSetPacker.PrepareAsync(inputPath, new PackageSetPackOptions(), cancellationToken);
            return await PublishTemporaryAsync(Path.GetFileName(Path.GetDirectoryName(inputPath)) ?? "bundle.json", inputs, cancellationToken);
        }

        if (!Directory.Exists(inputPath))
        {
            throw new BundleException($"'{inputPath}' does not exist; pass a publish folder, a folder of archives or a bundle.json.");
        }

        var indexPath = Path.Combine(inputPath, PublishLayout.IndexFileName);
        if (File.Exists(indexPath) || File.Exists(Path.Combine(inputPath, PublishLayout.ManifestFileName)))
        {
            var bundleName = File.Exists(indexPath) ? ReadIndex(indexPath).Bundle : PublishLayout.BundleFileName;
            await using var bundle = BundleFileOpener.OpenRead(EntryPath.Combine(inputPath, bundleName));
            var manifest = await BundleReader.ReadManifestAsync(bundle, cancellationToken: cancellationToken);
            return new PreparedSet(Path.GetFileName(inputPath), inputPath, manifest, bundle.Length, manifest.Packages.Sum(p => p.Archive.Size), Temporary: false);
        }

        var packages = FolderArchiveScanner.Scan(inputPath);
        await output.WriteLineAsync($"Publishing {packages.Count} archives from {inputPath} …");
        return await PublishTemporaryAsync(Path.GetFileName(inputPath), packages, cancellationToken);
    }

    private static PublishIndex ReadIndex(string path)
    {
        try
        {
            return PublishIndex.Parse(File.ReadAllBytes(path));
        }
        catch (BundleException ex)
        {
            throw new BundleException($"{path}: {ex.Message}", ex);
        }
    }

    private static async Task<PreparedSet> PublishTemporaryAsync(string name, IReadOnlyList<PackageInput> packages, CancellationToken cancellationToken)
    {
        var publishFolder = Path.Combine(Path.GetTempPath(), $"bundler-compare-publish-{Guid.NewGuid():N}");
        var published = await PublishFolderWriter.WriteAsync(packages, publishFolder, cancellationToken: cancellationToken);
        return new PreparedSet(name, publishFolder, published.Bundle.Manifest, new FileInfo(published.Bundle.Path).Length, published.ArchiveBytes, Temporary: true);
    }

    private static CompareSummary Summary(string reportFile, ComparisonReport report) => new(
        reportFile,
        [.. report.Scenarios.SelectMany(scenario => scenario.Modes.Select(mode => new CompareRow(
            scenario.Preset, scenario.Protocol, mode.Mode, mode.Median.TotalSeconds, mode.Min.TotalSeconds, mode.Max.TotalSeconds,
            mode.MedianRun.Bytes, mode.MedianRun.Requests, mode.MedianRun.Connections, scenario.SpeedupOverFiles(mode),
            scenario.LinkLimit(mode)?.TotalSeconds)))]);

    private static void WriteTables(TextWriter output, ComparisonReport report)
    {
        var console = TableConsole.Create(output);
        // Redirected output reports a width of 80, which wraps every column of these tables.
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        foreach (var scenario in report.Scenarios)
        {
            var table = new Table { Title = new TableTitle(TableConsole.Cell($"{scenario.Title} ({scenario.Network})")) }
                .AddColumns("mode", "median", "min", "max", "bytes", "requests", "connections", "vs files", "vs link");
            foreach (var mode in scenario.Modes)
            {
                var speedup = scenario.SpeedupOverFiles(mode);
                table.AddRow(
                    mode.Mode, Seconds(mode.Median), Seconds(mode.Min), Seconds(mode.Max), ByteSize.Format(mode.MedianRun.Bytes),
                    mode.MedianRun.Requests.ToString(CultureInfo.InvariantCulture), mode.MedianRun.Connections.ToString(CultureInfo.InvariantCulture),
                    Ratio(speedup), Ratio(scenario.OverLinkLimit(mode)));
            }

            console.Write(table);
        }
    }

    private static async Task WriteReportAsync(string path, string html, CancellationToken cancellationToken)
    {
        using var file = new AtomicFile(path);
        await file.Stream.WriteAsync(new UTF8Encoding(false).GetBytes(html), cancellationToken);
        file.Commit();
    }

    private static string Ratio(double? ratio) => ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:0.00}x") : "-";

    private static string Seconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.000} s");

    private sealed record PreparedSet(string Name, string PublishFolder, Manifest Manifest, long BundleBytes, long ArchiveBytes, bool Temporary);
}
