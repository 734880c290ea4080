using System.Text;

namespace Bundler.Testing.ObjectStores;

/// <summary>
/// A real <c>moto_server</c> (the S3 API of the <c>moto</c> Python package) on a random loopback port, started for the
/// tests and stopped after them. Buckets are made public-read by a bucket policy, as a bucket behind a CDN is, so that
/// loads read them over plain HTTP.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string Program = "moto_server";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ServerProcess _process;
    private int _buckets;

    private MotoServer(ServerProcess process)
    {
        _process = process;
        Endpoint = Root(process.Port);
    }

    /// <summary>The S3 endpoint, http://127.0.0.1:PORT/.</summary>
    public Uri Endpoint { get; }

    /// <summary>Why the tests that need it are skipped, or null when moto_server is on PATH.</summary>
    public static string? SkipReason => ExternalTool.Find(Program) is null ? $"needs {Program} on PATH (pip install 'moto[server]')" : null;

    public static async Task<MotoServer> StartAsync()
    {
        var program = ExternalTool.Find(Program) ?? throw new InvalidOperationException(SkipReason);
        return new MotoServer(await ServerProcess.StartAsync(program, port => ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], Root));
    }

    /// <summary>Creates a new bucket that anyone may read (GetObject), and returns its name.</summary>
    public async Task<string> CreatePublicBucketAsync()
    {
        var name = $"bundles-{Interlocked.Increment(ref _buckets)}-{Guid.NewGuid():N}"[..40];
        (await Http.PutAsync(new Uri(Endpoint, name), null)).EnsureSuccessStatusCode();
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{name}}/*"}]}""";
        (await Http.PutAsync(new Uri(Endpoint, name + "?policy"), new StringContent(policy, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        return name;
    }

    /// <summary>The plain-HTTP URL of <paramref name="key"/> in <paramref name="bucket"/> (path-style).</summary>
    public Uri Url(string bucket, string key) => new(Endpoint, bucket + "/" + key);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static Uri Root(int port) => new($"http://127.0.0.1:{port}/");
}
