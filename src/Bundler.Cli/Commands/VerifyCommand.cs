using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Loader.Unpacking;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary><c>verify BUNDLE</c>: reads the whole bundle and checks every frame, tar entry and file hash; writes nothing.</summary>
internal static class VerifyCommand
{
    public static Command Create(TextWriter output)
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The bundle (.tar.zst) to verify." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var integrity = TrustOptions.Integrity();
        var trustKey = TrustOptions.TrustKey();
        var command = new Command("verify", "Check a bundle end to end: manifest, frames, tar entries and every file's sha256.") { bundle, integrity, trustKey, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(bundle).FullName;
            var options = TrustOptions.ForBundleFile(path, parse.GetValue(integrity), parse.GetValue(trustKey));
            var stopwatch = Stopwatch.StartNew();
            var result = await BundleFileOpener.ReadAsync(path, stream => BundleReader.VerifyAsync(stream, options, cancellationToken));
            stopwatch.Stop();
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(UnpackCommand.Summary(path, null, result, stopwatch.Elapsed), CliJsonContext.Default.UnpackSummary));
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"OK: {path} holds {result.Manifest.Packages.Count} packages, {result.FileCount} files ({ByteSize.Format(result.FileBytes)}), all matching the manifest ({stopwatch.Elapsed.TotalSeconds:0.00} s)."));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
