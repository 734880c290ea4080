using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bundler.Testing.ObjectStores;

/// <summary>
/// A server program started for tests on a random loopback port (tried again on another port if it does not come
/// up), ready once its endpoint answers HTTP, and stopped with its children when disposed.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <param name="program">The program's path.</param>
    /// <param name="arguments">Its arguments, given the port.</param>
    /// <param name="probe">The URL that answers once it is up, given the port.</param>
    /// <param name="environment">Variables to set for it.</param>
    /// <param name="workingDirectory">Where it runs (and writes anything it writes beside itself).</param>
    public static async Task<ServerProcess> StartAsync(string program, Func<int, IEnumerable<string>> arguments, Func<int, Uri> probe, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            foreach (var argument in arguments(port))
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ServerProcess(process, port);
            if (await server.WaitUntilUpAsync(probe(port)))
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{Path.GetFileName(program)} did not start on 127.0.0.1:{port}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<bool> WaitUntilUpAsync(Uri probe)
    {
        for (var waited = 0; waited < 300 && !_process.HasExited; waited++)
        {
            try
            {
                using var response = await Http.GetAsync(probe);
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
