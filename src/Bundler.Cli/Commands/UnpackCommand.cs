using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Loader.Unpacking;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary><c>unpack BUNDLE -o DIR</c>: one streaming pass, every file verified, the tree moved into place at the end.</summary>
internal static class UnpackCommand
{
    public static Command Create(TextWriter output)
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The bundle (.tar.zst) to unpack." };
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder to unpack into, as <id>/<version>/<files>.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var integrity = TrustOptions.Integrity();
        var trustKey = TrustOptions.TrustKey();
        var command = new Command("unpack", "Unpack a bundle into a folder, verifying every file.") { bundle, target, integrity, trustKey, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(bundle).FullName;
            var options = TrustOptions.ForBundleFile(path, parse.GetValue(integrity), parse.GetValue(trustKey));
            var directory = parse.GetRequiredValue(target).FullName;
            var stopwatch = Stopwatch.StartNew();
            var result = await BundleFileOpener.ReadAsync(path, stream => BundleReader.UnpackAsync(stream, directory, options, cancellationToken));
            stopwatch.Stop();
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(Summary(path, directory, result, stopwatch.Elapsed), CliJsonContext.Default.UnpackSummary));
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Unpacked {result.Manifest.Packages.Count} packages, {result.FileCount} files ({ByteSize.Format(result.FileBytes)}) into {directory} ({stopwatch.Elapsed.TotalSeconds:0.00} s)."));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static UnpackSummary Summary(string bundle, string? target, UnpackResult result, TimeSpan elapsed) =>
        new(bundle, target, result.Manifest.Packages.Count, result.FileCount, result.FileBytes, result.BundleBytes, elapsed.TotalSeconds);
}
