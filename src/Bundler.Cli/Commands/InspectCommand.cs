using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Bundler.Cli.Output;
using Bundler.Loader.Format;
using Bundler.Loader.Trust;
using Bundler.Serving.Network;

namespace Bundler.Cli.Commands;

/// <summary><c>inspect BUNDLE</c>: the manifest as a table (packages, files, frames, ratio), or as JSON.</summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter output)
    {
        var bundle = new Argument<FileInfo>("bundle") { Description = "The bundle (.tar.zst) to describe." };
        var json = new Option<bool>("--json") { Description = "Print the manifest as JSON, with the bundle's path and size." };
        var command = new Command("inspect", "Show what a bundle holds; reads only its manifest.") { bundle, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(bundle).FullName;
            var (manifest, integrity, size) = await BundleFileOpener.ReadAsync(path, async stream =>
            {
                var (manifest, _, manifestJson) = await ManifestFrame.ReadWithJsonAsync(stream, BundleLimits.Default, trust: null, cancellationToken);
                return (manifest, ManifestIntegrity.Compute(manifestJson), stream.Length);
            });

            if (parse.GetValue(json))
            {
                await WriteJsonAsync(output, path, size, integrity, manifest);
            }
            else
            {
                WriteTable(output, path, size, integrity, manifest);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Task WriteJsonAsync(TextWriter output, string path, long size, string integrity, Manifest manifest) =>
        IndentedJsonObject.WriteLineAsync(output, writer =>
        {
            writer.WriteString("bundle", path);
            writer.WriteNumber("bundleSize", size);
            writer.WriteString("integrity", integrity);
            writer.WriteNumber("fileBytes", manifest.Packages.Sum(p => p.Files.Sum(f => f.Size)));
            writer.WriteNumber("ratio", Math.Round(Ratio(manifest, size), 3));
            writer.WritePropertyName("manifest");
            using (var document = JsonDocument.Parse(ManifestJson.Serialize(manifest)))
            {
                document.WriteTo(writer);
            }
        });

    private static void WriteTable(TextWriter output, string path, long size, string integrity, Manifest manifest)
    {
        var console = TableConsole.Create(output);
        var table = new Table().AddColumns("Package", "Version", "Files", "Size", "Compressed", "Frames");
        foreach (var column in table.Columns.Skip(2))
        {
            column.RightAligned();
        }

        foreach (var package in manifest.Packages)
        {
            var compressed = manifest.Frames.Skip(package.FirstFrame).Take(package.FrameCount).Sum(f => f.Size);
            table.AddRow(
                TableConsole.Cell(package.Id),
                TableConsole.Cell(package.Version) + (package.KeepArchive ? " (whole)" : ""),
                package.Files.Count.ToString(CultureInfo.InvariantCulture),
                ByteSize.Format(package.Files.Sum(f => f.Size)),
                ByteSize.Format(compressed),
                package.FrameCount.ToString(CultureInfo.InvariantCulture));
        }

        // Spectre reads a CR as a line break before the writer sees it, so text given to it is escaped first.
        console.WriteLine(TerminalText.Escape(path));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"format {manifest.FormatVersion}, written by {TerminalText.Escape(manifest.Tool)}, zstd level {manifest.Options.CompressionLevel}, frames up to {ByteSize.Format(manifest.Options.MaxFrameSize)}"));
        console.Write(table);
        var files = manifest.Packages.Sum(p => p.Files.Count);
        var bytes = manifest.Packages.Sum(p => p.Files.Sum(f => f.Size));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{manifest.Packages.Count} packages, {files} files, {ByteSize.Format(bytes)} in {manifest.Frames.Count} frames; bundle {ByteSize.Format(size)} (ratio {Ratio(manifest, size):0.00})"));
        console.WriteLine("integrity " + integrity);
    }

    private static double Ratio(Manifest manifest, long size) =>
        size == 0 ? 0 : manifest.Packages.Sum(p => p.Files.Sum(f => (double)f.Size)) / size;
}
