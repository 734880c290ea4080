using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Spectre.Console;
using Bundler.Cli.Output;
using Bundler.Core.Download;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Resolution.Locking;
using Bundler.Core.Sources;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary><c>resolve [bundle.json] [--json] [--locked]</c>: the exact package set, kept in bundle.lock.json beside it.</summary>
internal static class ResolveCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Argument<FileInfo>("bundle.json") { Description = "The package set to resolve.", DefaultValueFactory = _ => new FileInfo("bundle.json") };
        var json = new Option<bool>("--json") { Description = "Print the resolved set as JSON." };
        var locked = new Option<bool>("--locked") { Description = "Fail, changing nothing, if bundle.lock.json is missing or resolving would change it." };
        var command = new Command("resolve", "Resolve a bundle.json to exact versions, URLs and hashes, and keep them in bundle.lock.json.") { file, json, locked };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var set = await PackageSetParser.LoadAsync(parse.GetRequiredValue(file).FullName, cancellationToken);
            using var client = MetadataHttpClient.Create();
            var (resolved, outcome) = await LockedResolution.ResolveAsync(new PackageSources(set, client), parse.GetValue(locked), cancellationToken);
            var message = outcome switch
            {
                LockOutcome.ReadFromLock => $"{set.LockFilePath} is up to date with {set.FilePath}; nothing was asked of the sources.",
                LockOutcome.Unchanged => $"{set.LockFilePath} is unchanged.",
                _ => $"Wrote {set.LockFilePath}.",
            };
            if (parse.GetValue(json))
            {
                await WriteJsonAsync(output, set, resolved, outcome);
            }
            else
            {
                WriteTable(output, resolved, message);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Task WriteJsonAsync(TextWriter output, PackageSet set, ResolvedSet resolved, LockOutcome outcome) =>
        IndentedJsonObject.WriteLineAsync(output, writer =>
        {
            writer.WriteString("bundleJson", set.FilePath);
            writer.WriteString("lockFile", set.LockFilePath);
            writer.WriteString("lock", outcome switch { LockOutcome.ReadFromLock => "read", LockOutcome.Unchanged => "unchanged", _ => "written" });
            writer.WritePropertyName("packages");
            using (var document = JsonDocument.Parse(LockFile.Serialize(LockFile.From(resolved, set.ContentHash, set.LockFilePath))))
            {
                document.RootElement.GetProperty("packages").WriteTo(writer);
            }
        });

    private static void WriteTable(TextWriter output, ResolvedSet resolved, string message)
    {
        var console = TableConsole.Create(output);
        var table = new Table().AddColumns("Source", "Package", "Version", "Size", "Integrity");
        table.Columns[3].RightAligned();
        foreach (var package in resolved.Packages)
        {
            table.AddRow(
                TableConsole.Cell(package.Source),
                TableConsole.Cell(package.Id) + (package.Direct ? "" : " (dependency)"),
                TableConsole.Cell(package.Version) + (package.KeepArchive ? " (whole)" : ""),
                package.Size is { } size ? ByteSize.Format(size) : "?",
                TableConsole.Cell(package.Integrity is { } integrity ? integrity[..Math.Min(integrity.Length, 19)] + "…" : "(after download)"));
        }

        console.Write(table);
        var direct = resolved.Packages.Count(p => p.Direct);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{resolved.Packages.Count} packages ({direct} named, {resolved.Packages.Count - direct} dependencies). {TerminalText.Escape(message)}"));
    }
}
