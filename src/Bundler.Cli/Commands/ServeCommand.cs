using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Loader;
using Bundler.Serving;
using Bundler.Serving.Faults;
using Bundler.Serving.Network;
using Bundler.Serving.Tls;

namespace Bundler.Cli.Commands;

/// <summary><c>serve DIR</c>: a static file server with a simulated network, for loading bundles and archives as a real host would serve them.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output)
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "The folder to serve (for example a publish folder written by 'pack')." };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "HTTP/1.1 port, or the HTTPS port with --tls (0 picks a free one).", DefaultValueFactory = _ => 8080 }.InRange(0, IPEndPoint.MaxPort);
        var http2Port = new Option<int>("--h2-port") { Description = "Cleartext HTTP/2 (h2c, prior knowledge) port (0 picks a free one).", DefaultValueFactory = _ => 8081 }.InRange(0, IPEndPoint.MaxPort);
        var protocol = new Option<string>("--protocol") { Description = "h1, h2 or both. Over TLS, h2 and both offer HTTP/2 and HTTP/1.1 on one port (ALPN), h1 HTTP/1.1 alone.", DefaultValueFactory = _ => "both" };
        protocol.AcceptOnlyFromAmong("h1", "h2", "both");
        var network = NetworkOptions.Create();
        var log = new Option<FileInfo?>("--log") { Description = "Also write every request as a JSON line to this file." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print a line per request." };
        var faults = new Option<string?>("--faults") { Description = "Inject faults: chances per kind, e.g. 500=0.02,429=0.01,reset=0.01,truncate=0.01,stall=0.005,bitflip=0.01 (also norange), or one total such as 5% spread over the six." };
        var faultSeed = new Option<int?>("--fault-seed") { Description = "Seed for --faults, to repeat a run's faults (default: random, printed at start)." };
        var faultStall = OptionValues.Duration("--fault-stall", "How long a stalled body stays silent before the server aborts the connection.", "10s", "10s or 500ms").Positive();
        var tls = new Option<bool>("--tls") { Description = "Serve HTTPS as a CDN does (HTTP/2 and HTTP/1.1 by ALPN on --port) with a self-signed certificate made at start for localhost and 127.0.0.1." };
        var certificate = new Option<FileInfo?>("--cert") { Description = "Serve HTTPS with this PEM certificate instead of a made one (needs --key)." };
        var key = new Option<FileInfo?>("--key") { Description = "The unencrypted PEM private key of --cert." };
        var certificateOut = new Option<FileInfo?>("--cert-out") { Description = "Write the served certificate (PEM) here, for clients to trust (load --trust-cert); by default a temporary file, removed when the server stops." };
        var command = new Command("serve", "Serve a folder over HTTP/1.1 and h2c, or over HTTPS, with Range and ETag support, through a simulated network (latency, bandwidth, per-connection cap, connection limit) and optionally injected faults.")
        {
            directory, host, port, http2Port, protocol, tls, certificate, key, certificateOut, log, quiet, faults, faultSeed, faultStall,
        };
        network.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = parse.GetRequiredValue(directory);
            if (!root.Exists)
            {
                throw new BundleException($"The folder '{root.FullName}' does not exist; pass a folder to serve.");
            }

            if (!IPAddress.TryParse(parse.GetRequiredValue(host), out var address))
            {
                throw new BundleException($"'{parse.GetValue(host)}' is not an IP address; pass for example --host 127.0.0.1.");
            }

            if ((parse.GetValue(certificate) is null) != (parse.GetValue(key) is null))
            {
                throw new BundleException("--cert and --key go together: pass the PEM certificate with --cert and its private key with --key.");
            }

            using var served = parse.GetValue(certificate) is { } certificatePath
                ? ServerCertificate.LoadPem(certificatePath.FullName, parse.GetValue(key)!.FullName)
                : parse.GetValue(tls) ? ServerCertificate.CreateDevelopment(address) : null;
            var profile = network.Read(parse);
            var stallFor = parse.GetValue(faultStall);

            var seed = parse.GetValue(faultSeed) ?? Random.Shared.Next();
            var plan = parse.GetValue(faults) is { } spec ? new FaultPlan(FaultSpec.Parse(spec, stallFor), seed) : null;
            var options = new StaticFileServerOptions
            {
                Address = address,
                Http1Port = parse.GetValue(port),
                HttpsPort = parse.GetValue(port),
                Certificate = served,
                Http2Port = parse.GetValue(http2Port),
                Protocols = parse.GetValue(protocol) switch
                {
                    "h1" => ServeProtocols.Http1,
                    "h2" => ServeProtocols.Http2,
                    _ => ServeProtocols.Both,
                },
                Network = profile,
                Faults = plan,
            };

            await using var logFile = parse.GetValue(log) is { } logPath ? new StreamWriter(logPath.FullName, append: false) { AutoFlush = true } : null;
            var printLines = !parse.GetValue(quiet);
            var writeLock = new Lock();
            void OnRequest(ServedRequest request)
            {
                lock (writeLock)
                {
                    if (printLines)
                    {
                        output.WriteLine(Format(request));
                    }

                    logFile?.WriteLine(JsonSerializer.Serialize(request, ServeJsonContext.Default.ServedRequest));
                }
            }

            await using var server = await StaticFileServer.StartAsync(root.FullName, options, OnRequest, cancellationToken);
            using var certificateFile = served is null ? null : ServedCertificateFile.Write(served, parse.GetValue(certificateOut)?.FullName);
            await output.WriteLineAsync($"Serving {root.FullName} ({profile.Describe()})");
            if (plan is not null)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  faults:   {(plan.Faults.Count == 0 ? "none" : FaultSpec.Describe(plan.Faults))} (seed {plan.Seed}; a stalled body is aborted after {stallFor.TotalSeconds:0.###} s)"));
            }

            if (server.Http1Url is { } h1)
            {
                await output.WriteLineAsync($"  HTTP/1.1: {h1}");
            }

            if (server.Http2Url is { } h2)
            {
                await output.WriteLineAsync($"  h2c:      {h2}  (HTTP/2 with prior knowledge)");
            }

            if (server.HttpsUrl is { } https)
            {
                await output.WriteLineAsync($"  HTTPS:    {https}  ({(options.Protocols == ServeProtocols.Http1 ? "HTTP/1.1" : "HTTP/2 and HTTP/1.1 by ALPN")})");
                await output.WriteLineAsync($"  certificate: {certificateFile!.Path} (trust it with 'load --trust-cert {certificateFile.Path}'; Chromium: --ignore-certificate-errors-spki-list={ServerCertificate.SpkiSha256(served!)})");
            }

            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await output.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C is how a server is meant to stop.
            }

            return ExitCodes.Success;
        });
        return command;
    }

    internal static string Format(ServedRequest request) => string.Create(CultureInfo.InvariantCulture,
        $"{request.Start.TotalSeconds,8:0.000}s {request.Method} {request.Path}{(request.Range is null ? "" : " [" + request.Range + "]")} -> {request.Status} {ByteSize.Format(request.Bytes)}, first byte {request.FirstByte.TotalMilliseconds:0} ms, done {request.Duration.TotalMilliseconds:0} ms ({request.Protocol}, conn {request.Connection}){(request.Fault is null ? "" : " [fault: " + request.Fault + "]")}");
}
