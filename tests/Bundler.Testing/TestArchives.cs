using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using SharpCompress.Compressors.BZip2;

namespace Bundler.Testing;

/// <summary>Writes real archives of every supported kind from an <see cref="ArchiveContent"/>.</summary>
public static class TestArchives
{
    public static string Zip(string path, ArchiveContent content)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in content.Files)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.ExternalAttributes = (content.Executable.Contains(name) ? 0x81ED : 0x81A4) << 16;
            using var stream = entry.Open();
            stream.Write(bytes);
        }

        return path;
    }

    public static byte[] TarBytes(ArchiveContent content, Action<TarWriter>? extra = null)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, bytes) in content.Files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(bytes),
                    Mode = content.Executable.Contains(name)
                        ? (UnixFileMode)0b111_101_101
                        : (UnixFileMode)0b110_100_100,
                };
                tar.WriteEntry(entry);
            }

            extra?.Invoke(tar);
        }

        return buffer.ToArray();
    }

    public static string Tar(string path, ArchiveContent content, Action<TarWriter>? extra = null)
    {
        File.WriteAllBytes(path, TarBytes(content, extra));
        return path;
    }

    public static string TarGz(string path, ArchiveContent content, Action<TarWriter>? extra = null)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(TarBytes(content, extra));
        return path;
    }

    public static string TarBz2(string path, ArchiveContent content)
    {
        using var file = File.Create(path);
        using var bzip2 = BZip2Stream.Create(file, SharpCompress.Compressors.CompressionMode.Compress, decompressConcatenated: false, leaveOpen: false, tolerateTruncatedStream: false);
        bzip2.Write(TarBytes(content));
        return path;
    }

    public static string TarZst(string path, ArchiveContent content)
    {
        using var file = File.Create(path);
        using var zstd = new SharpCompress.Compressors.ZStandard.CompressionStream(file, 3, 1 << 16, false);
        zstd.Write(TarBytes(content));
        return path;
    }

    /// <summary>tar.xz through the xz command (SharpCompress reads xz but does not write it).</summary>
    public static string TarXz(string path, ArchiveContent content)
    {
        var tar = path + ".tar";
        File.WriteAllBytes(tar, TarBytes(content));
        Run("xz", $"-z -c -T1 \"{tar}\"", path);
        File.Delete(tar);
        return path;
    }

    private static void Run(string fileName, string arguments, string stdoutPath)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        using (var output = File.Create(stdoutPath))
        {
            process.StandardOutput.BaseStream.CopyTo(output);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {arguments} exited with {process.ExitCode}");
        }
    }
}
