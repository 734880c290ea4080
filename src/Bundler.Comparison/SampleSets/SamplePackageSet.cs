using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Bundler.Comparison.SampleSets;

/// <summary>
/// A generated package set shaped like a real one, for <c>compare</c> with no input: a few dozen NuGet and npm
/// archives whose sizes are skewed (a few large packages, many small ones), holding mostly small, compressible text
/// files (docs, scripts, metadata) beside fewer, larger and less compressible binaries. The same seed gives the same
/// packages and files on every machine.
/// </summary>
internal static class SamplePackageSet
{
    public const int DefaultSeed = 1;

    private const int NuGetPackages = 26;
    private const int NpmPackages = 14;

    /// <summary>The archives' fixed timestamp: deterministic bytes, and a date archive formats can all hold.</summary>
    private static readonly DateTimeOffset Timestamp = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Words =
    [
        "value", "options", "context", "buffer", "stream", "request", "response", "handler", "service", "provider",
        "factory", "builder", "logger", "config", "source", "target", "result", "error", "token", "state", "cache",
        "reader", "writer", "channel", "entry", "index", "count", "length", "offset", "name", "version", "package",
        "module", "export", "default", "function", "return", "string", "number", "object", "array", "promise",
        "async", "await", "throw", "event", "listener", "callback", "parameter", "summary", "returns", "exception",
    ];

    /// <summary>Writes the set's archives, named <c>&lt;id&gt;.&lt;version&gt;.&lt;ext&gt;</c>, into <paramref name="folder"/>.</summary>
    public static void Write(string folder, int seed = DefaultSeed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        for (var i = 0; i < NuGetPackages + NpmPackages; i++)
        {
            var npm = i >= NuGetPackages;
            var id = npm ? $"sample-lib-{i - NuGetPackages:00}" : $"Sample.Package{i:00}";
            var version = $"{1 + random.Next(9)}.{random.Next(20)}.{random.Next(10)}";
            var files = PackageFiles(random, id, npm);
            var path = Path.Combine(folder, $"{id}.{version}.{(npm ? "tgz" : "nupkg")}");
            if (npm)
            {
                WriteTarball(path, files);
            }
            else
            {
                WriteZip(path, files);
            }
        }
    }

    /// <summary>
    /// Files per package follow a heavy tail (most packages hold a handful, one or two hold hundreds), and file sizes
    /// are log-normal around a few KiB, as in NuGet and npm closures.
    /// </summary>
    private static List<(string Path, byte[] Content)> PackageFiles(Random random, string id, bool npm)
    {
        var fileCount = (int)Math.Min(500, 3 + (7 / Math.Pow(1 - random.NextDouble(), 1.3)));
        var scale = Math.Exp(0.7 * Gaussian(random));
        var files = new List<(string, byte[])>(fileCount + 1)
        {
            npm ? ("package/package.json", Text(random, 600)) : ($"{id}.nuspec", Text(random, 900)),
        };
        for (var f = 0; f < fileCount; f++)
        {
            var size = (int)Math.Clamp(scale * Math.Exp(8.0 + (1.4 * Gaussian(random))), 64, 2_000_000);
            var binary = random.NextDouble() < 0.2;
            var name = $"{Words[random.Next(Words.Length)]}{f:000}";
            var path = npm
                ? $"package/{(binary ? "bin" : "lib")}/{name}.{(binary ? "wasm" : "js")}"
                : $"lib/net8.0/{name}.{(binary ? "dll" : "xml")}";
            files.Add((path, binary ? Binary(random, size) : Text(random, size)));
        }

        return files;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Source-like text that compresses about as well as real docs and scripts (4–6×).</summary>
    private static byte[] Text(Random random, int size)
    {
        var text = new StringBuilder(size + 80);
        while (text.Length < size)
        {
            text.Append(' ', random.Next(8))
                .Append(Words[random.Next(Words.Length)]).Append('.')
                .Append(Words[random.Next(Words.Length)]).Append('(')
                .Append(Words[random.Next(Words.Length)]).Append(", ")
                .Append(random.Next(64).ToString(CultureInfo.InvariantCulture)).Append(");\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, size));
    }

    /// <summary>Machine-code-like bytes: random runs mixed with repeats of earlier bytes, compressing about 2×.</summary>
    private static byte[] Binary(Random random, int size)
    {
        var bytes = new byte[size];
        var position = 0;
        while (position < size)
        {
            var run = Math.Min(size - position, 16 + random.Next(48));
            if (position > 256 && random.Next(2) == 0)
            {
                var from = random.Next(position - run);
                Array.Copy(bytes, from, bytes, position, run);
            }
            else
            {
                random.NextBytes(bytes.AsSpan(position, run));
            }

            position += run;
        }

        return bytes;
    }

    private static void WriteZip(string path, List<(string Path, byte[] Content)> files)
    {
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        foreach (var (name, content) in files)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = Timestamp;
            using var stream = entry.Open();
            stream.Write(content);
        }
    }

    private static void WriteTarball(string path, List<(string Path, byte[] Content)> files)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal);
        using var tar = new TarWriter(gzip, TarEntryFormat.Ustar);
        foreach (var (name, content) in files)
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
            {
                ModificationTime = Timestamp,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                DataStream = new MemoryStream(content, writable: false),
            };
            tar.WriteEntry(entry);
        }
    }
}
