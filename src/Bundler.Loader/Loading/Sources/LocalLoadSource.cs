using Bundler.Loader.Format;
using Bundler.Loader.IO;

namespace Bundler.Loader.Loading.Sources;

/// <summary>A publish folder (or a bundle or entry-point file in one) on a local disk.</summary>
internal sealed class LocalLoadSource : LoadSource
{
    private readonly string _folder;

    private LocalLoadSource(string folder, string? locationFile, LoadMetrics metrics) : base(locationFile, metrics)
    {
        _folder = folder;
    }

    public static LocalLoadSource Create(string location, LoadMetrics metrics)
    {
        var full = Path.GetFullPath(location);
        if (File.Exists(full))
        {
            return new LocalLoadSource(Path.GetDirectoryName(full)!, Path.GetFileName(full), metrics);
        }

        if (Directory.Exists(full))
        {
            return new LocalLoadSource(full, null, metrics);
        }

        throw new BundleException($"'{location}' is neither a publish folder nor a bundle file, nor an http(s) URL.");
    }

    public override string Describe(string name) => Path.Combine(_folder, name);

    public override Task<Stream> OpenAsync(string name, CancellationToken cancellationToken)
    {
        Metrics.RequestSent();
        var stream = Open(name);
        Metrics.ResponseStarted();
        return Task.FromResult<Stream>(new MeteredStream(stream, Metrics));
    }

    public override async Task<Stream?> OpenIfExistsAsync(string name, CancellationToken cancellationToken) =>
        File.Exists(EntryPath.Combine(_folder, name)) ? await OpenAsync(name, cancellationToken) : null;

    public override async Task<RangeReply> ReadRangeAsync(string name, long offset, Memory<byte> buffer, bool allowShorter, CancellationToken cancellationToken)
    {
        Metrics.RequestSent();
        await using var stream = Open(name);
        Metrics.ResponseStarted();
        var length = stream.Length;
        stream.Position = offset;
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        Metrics.Received(read);
        if (read < buffer.Length && !allowShorter)
        {
            throw new BundleException($"The bundle '{Describe(name)}' is truncated: it ends at {length}, inside bytes {offset}-{offset + buffer.Length - 1} that its manifest lists.");
        }

        return new RangeReply(read, length, null);
    }

    private FileStream Open(string name)
    {
        var path = EntryPath.Combine(_folder, name);
        try
        {
            RegularFile.LengthOrNull(path, "The published file");
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BundleException($"'{path}' does not exist; is '{_folder}' a publish folder written by 'pack --publish'?", ex);
        }
    }
}
