using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

    private readonly Process _process;
    private int _buckets;

    private MotoServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The S3 endpoint, http://127.0.0.1:PORT/.</summary>
    public Uri Endpoint { get; }

    /// <summary>Why the tests that need it are skipped, or null when moto_server is on PATH.</summary>
    public static string? SkipReason => ExternalTool.Find(Program) is null ? $"needs {Program} on PATH (pip install 'moto[server]')" : null;

    public static async Task<MotoServer> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(ExternalTool.Find(Program) ?? throw new InvalidOperationException(SkipReason))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"));
            if (await server.WaitUntilUpAsync())
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{Program} did not start on 127.0.0.1:{port}.");
            }
        }
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<bool> WaitUntilUpAsync()
    {
        for (var waited = 0; waited < 300 && !_process.HasExited; waited++)
        {
            try
            {
                using var response = await Http.GetAsync(Endpoint);
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
