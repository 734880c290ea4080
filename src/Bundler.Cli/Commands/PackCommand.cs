using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Cli.Progress;
using Bundler.Core.Download;
using Bundler.Core.IO;
using Bundler.Core.PackageSets;
using Bundler.Core.Pipeline;
using Bundler.Core.Publishing;
using Bundler.Core.Sources.Folder;
using Bundler.Core.Writing;
using Bundler.Loader;
using Bundler.Loader.Format;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary>
/// <c>pack bundle.json -o OUT</c>: resolves a package set (through bundle.lock.json), downloads its archives and bundles
/// them; <c>pack --project PATH -o OUT</c> bundles what restore of a project, solution or folder takes, restore-ready;
/// <c>pack --from-dir DIR -o OUT</c> bundles a folder of archives named &lt;id&gt;.&lt;version&gt;.&lt;ext&gt;.
/// <c>--publish DIR</c> (or <c>s3://BUCKET/PREFIX/</c>, or an Azure Blob container URL) instead of <c>-o</c> publishes
/// the bundle for <c>load</c>: its objects under names of their digests, then <c>index.json</c> naming them (docs/FORMAT.md §12).
/// </summary>
internal static class PackCommand
{
    public static Command Create(TextWriter output)
    {
        var packageSet = new Argument<FileInfo?>("bundle.json") { Description = "The package set to resolve, download and bundle (see docs/bundle-json.md).", Arity = ArgumentArity.ZeroOrOne };
        var project = new Option<FileSystemInfo>("--project") { Description = "Instead of bundle.json: a .csproj, .sln, .slnx or folder; bundles every package its restore puts in the packages folder, in the NuGet layout (restore-ready)." };
        var fromDir = new Option<DirectoryInfo>("--from-dir") { Description = "Instead of bundle.json: a folder of archives named <id>.<version>.<ext> (.nupkg .zip .whl .tgz .tar.gz .tar.xz .tar.bz2 .tar.zst .tar)." };
        var locked = new Option<bool>("--locked") { Description = "With bundle.json: fail, changing nothing, if bundle.lock.json is missing or resolving would change it." };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = $"With bundle.json: the download cache folder (default: ${ContentCache.EnvironmentVariable}, else the user cache folder)." };
        var progress = new Option<string>("--progress") { Description = "Progress of the pack (downloads and writing, one bar): auto (a live bar in a terminal, lines otherwise), live, plain or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong(ProgressDisplay.Modes);
        var outputPath = new Option<FileInfo>("--output", "-o") { Description = "The bundle to write (e.g. packages.tar.zst). Replaced atomically." };
        var publish = new Option<string>("--publish") { Description = "Instead of -o: a folder to serve, or s3://BUCKET/PREFIX/, to hold the bundle, its manifest and the original archives under names of their digests, and index.json (written last) naming them." };
        var include = new Option<string[]>("--include") { Description = "Glob of archive paths to keep (repeatable); default all.", AllowMultipleArgumentsPerToken = false };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of archive paths to leave out (repeatable)." };
        var keepArchive = new Option<string[]>("--keep-archive") { Description = "Package id pattern (* and ? wildcards) whose archive is stored whole instead of extracted (repeatable)." };
        var level = new Option<int>("--level") { Description = "zstd compression level (-7 to -1, 1 to 22).", DefaultValueFactory = _ => new BundleWriterOptions().CompressionLevel }
            .Accepting(BundleWriterOptions.IsValidCompressionLevel, "-7 to -1 or 1 to 22");
        var frameSize = OptionValues.Size("--frame-size", "Largest uncompressed frame: bytes, or with K or M (64K to 16M).", "4M")
            .Accepting(BundleWriterOptions.IsValidFrameSize, "a multiple of 512 from 64K to 16M");
        var nugetLayout = new Option<bool>("--nuget-layout") { Description = "Lay .nupkg packages out as a NuGet global packages folder (lower-case id/version folders, .nupkg.metadata, .nupkg.sha512, <id>.nuspec), so 'dotnet restore --packages' accepts the loaded tree." };
        var minimumRate = MinimumRateOption.Create();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var signKey = TrustOptions.SignKey();
        var allowPrivateRedirects = RedirectOptions.AllowPrivateRedirects();

        var command = new Command("pack", "Bundle a package set (bundle.json: resolved, downloaded), what a project's restore takes (--project) or a folder of archives (--from-dir) into one .tar.zst with a manifest, or publish it to a folder, S3 or Azure Blob Storage.")
        {
            packageSet, project, fromDir, outputPath, publish, include, exclude, keepArchive, nugetLayout, locked, cache, progress, minimumRate, allowPrivateRedirects, level, frameSize, signKey, json,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(outputPath) is null) == (result.GetResult(publish) is null))
            {
                result.AddError("Give exactly one of --output (a bundle file) and --publish (a publish folder or s3://BUCKET/PREFIX/).");
            }

            if (new System.CommandLine.Parsing.SymbolResult?[] { result.GetResult(packageSet), result.GetResult(project), result.GetResult(fromDir) }.Count(r => r is not null) != 1)
            {
                result.AddError("Give exactly one of a bundle.json, --project and --from-dir.");
            }

            if (result.GetResult(project) is not null && result.GetResult(locked) is not null)
            {
                result.AddError("--locked applies to bundle.json; with --project, a packages.lock.json beside a project locks it (restore runs in locked mode).");
            }

            if ((result.GetResult(packageSet) is not null || result.GetResult(project) is not null) && new Option[] { include, exclude, keepArchive, nugetLayout }.FirstOrDefault(o => result.GetResult(o) is not null) is { } folderOnly)
            {
                result.AddError($"{folderOnly.Name} applies to --from-dir; with bundle.json set include, exclude and keepArchive on the packages in the file (--project always lays packages out for restore).");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stopwatch = Stopwatch.StartNew();
            var options = new BundleWriterOptions
            {
                CompressionLevel = parse.GetValue(level),
                MaxFrameSize = parse.GetValue(frameSize),
                SigningKeyFiles = [.. (parse.GetValue(signKey) ?? []).Select(f => f.FullName)],
            };
            using var store = parse.GetValue(publish) is { } publishLocation ? PublishLocation.Open(publishLocation) : null;
            PublishResult? published = null;
            BundleWriteResult result;
            var setFile = parse.GetValue(packageSet);
            if (setFile is not null || parse.GetValue(project) is not null)
            {
                var packOptions = new PackageSetPackOptions
                {
                    Locked = parse.GetValue(locked),
                    Download = new DownloadOptions { CacheDirectory = parse.GetValue(cache)?.FullName, MinimumRate = parse.GetRequiredValue(minimumRate), AllowPrivateNetworkRedirects = parse.GetValue(allowPrivateRedirects) },
                };

                // Each package is compressed as its archive arrives, while the other downloads go on.
                async Task<BundleWriteResult> WriteAsync(IAsyncEnumerable<PackageInput> arrivals, Action<PackageInput> written, CancellationToken ct)
                {
                    if (store is null)
                    {
                        return await BundleWriter.WriteAsync(arrivals, parse.GetRequiredValue(outputPath).FullName, options, written, ct);
                    }

                    published = await Publisher.PublishAsync((bundlePath, ct2) => BundleWriter.WriteAsync(arrivals, bundlePath, options, written, ct2), store, options, ct);
                    return published.Bundle;
                }

                try
                {
                    result = await ProgressDisplay.RunPackAsync(parse.GetValue(json) ? "none" : parse.GetRequiredValue(progress), output,
                        p => setFile is null
                            ? PackageSetPacker.PackProjectAsync(parse.GetRequiredValue(project).FullName, packOptions with { PackProgress = p }, WriteAsync, cancellationToken)
                            : PackageSetPacker.PackAsync(setFile.FullName, packOptions with { PackProgress = p }, WriteAsync, cancellationToken));
                }
                catch (DownloadException ex)
                {
                    throw new Loader.BundleException(ex.Message, ex);
                }
            }
            else
            {
                IReadOnlyList<PackageInput> packages = FolderArchiveScanner.Scan(
                    parse.GetRequiredValue(fromDir).FullName,
                    parse.GetValue(keepArchive),
                    parse.GetValue(include),
                    parse.GetValue(exclude));
                if (parse.GetValue(nugetLayout))
                {
                    packages = [.. packages.Select(p => p with { NuGetLayout = p.ArchivePath.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) })];
                }

                published = store is null ? null : await Publisher.PublishAsync(packages, store, options, cancellationToken);
                result = published?.Bundle ?? await BundleWriter.WriteAsync(packages, parse.GetRequiredValue(outputPath).FullName, options, cancellationToken);
            }

            if (parse.GetValue(packageSet) is { } packedSet)
            {
                using var integrityFile = new AtomicFile(PackageSet.IntegrityFilePathOf(packedSet.FullName));
                await integrityFile.Stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(result.Integrity + "\n"), cancellationToken);
                integrityFile.Commit();
            }

            stopwatch.Stop();

            var publishSummary = published is null ? null : new PublishSummary(published.Location, published.Objects, published.UploadedFiles, published.UploadedBytes);
            var files = result.Manifest.Packages.Sum(p => p.Files.Count);
            var bytes = result.Manifest.Packages.Sum(p => p.Files.Sum(f => f.Size));
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new PackSummary(result.Path, result.Size, result.Integrity, result.SignaturePath, result.Manifest.Packages.Count, files, bytes, result.Manifest.Frames.Count, stopwatch.Elapsed.TotalSeconds, result.Warnings, publishSummary), CliJsonContext.Default.PackSummary));
                return ExitCodes.Success;
            }

            foreach (var warning in result.Warnings)
            {
                await output.WriteLineAsync("warning: " + warning);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {result.Path}: {result.Manifest.Packages.Count} packages, {files} files, {ByteSize.Format(bytes)} -> {ByteSize.Format(result.Size)} in {result.Manifest.Frames.Count} frames ({stopwatch.Elapsed.TotalSeconds:0.00} s)."));
            await output.WriteLineAsync($"integrity {result.Integrity}");
            if (result.SignaturePath is not null)
            {
                await output.WriteLineAsync($"signed {result.SignaturePath}");
            }

            if (published is not null)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Published to {published.Location}: {published.UploadedFiles} files uploaded ({ByteSize.Format(published.UploadedBytes)}); {published.Objects} objects, {PublishLayout.IndexFileName} names them."));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
