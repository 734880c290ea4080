using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Bundler.Core.Download;
using Bundler.Serving.Faults;
using Bundler.Testing.Http;

namespace Bundler.Testing.Download;

/// <summary>A folder of random files served by a (possibly faulty) loopback server, and a cache folder for the engine.</summary>
internal sealed class DownloadSite : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    private DownloadSite() { }

    public LoopbackServer Server { get; private set; } = null!;

    public FaultPlan Faults { get; private set; } = null!;

    public Dictionary<string, byte[]> Files { get; } = [];

    public string Cache => _temp["cache"];

    public string Root => _temp["site"];

    public string this[string relative] => _temp[relative];

    public static async Task<DownloadSite> StartAsync(IReadOnlyDictionary<string, int> sizes, FaultPlan? faults = null, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var site = new DownloadSite();
        Directory.CreateDirectory(site.Root);
        var random = new Random(42);
        foreach (var (name, size) in sizes)
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            site.Files[name] = bytes;
            await File.WriteAllBytesAsync(Path.Combine(site.Root, name), bytes);
        }

        site.Faults = faults ?? new FaultPlan();
        site.Server = await FaultyServer.ServeDirectoryAsync(site.Root, site.Faults, protocols);
        return site;
    }

    public static Task<DownloadSite> StartAsync(string name, int size, FaultPlan? faults = null) =>
        StartAsync(new Dictionary<string, int> { [name] = size }, faults);

    public static string Sri(byte[] bytes) => "sha512-" + Convert.ToBase64String(SHA512.HashData(bytes));

    public DownloadRequest Request(string name, bool withHash = true, bool withSize = true) =>
        new(Server.Url(name), withHash ? Sri(Files[name]) : null, withSize ? Files[name].Length : null);

    /// <summary>The served file a request names.</summary>
    public static string NameOf(DownloadRequest request) => request.Url.Segments[^1];

    public IReadOnlyList<DownloadRequest> RequestAll(bool withHash = true) => [.. Files.Keys.Order(StringComparer.Ordinal).Select(n => Request(n, withHash))];

    /// <summary>Fast retries; a stall timeout long enough for a loaded machine (stall tests shorten it).</summary>
    public DownloadOptions Options => new()
    {
        CacheDirectory = Cache,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        StallTimeout = TimeSpan.FromSeconds(10),
        SegmentThreshold = 2 * 1024 * 1024,
    };

    /// <summary>Files left in the cache's temporary folder (none after any run, finished or not).</summary>
    public string[] TemporaryFiles() =>
        Directory.Exists(Path.Combine(Cache, "tmp")) ? Directory.GetFiles(Path.Combine(Cache, "tmp")) : [];

    public string[] CachedContent() =>
        Directory.Exists(Path.Combine(Cache, "content")) ? Directory.GetFiles(Path.Combine(Cache, "content"), "*", SearchOption.AllDirectories) : [];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}
