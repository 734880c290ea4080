using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Bundler.Serving.Faults;
using Bundler.Serving.Network;

namespace Bundler.Serving;

/// <summary>
/// Serves a folder over HTTP/1.1 and cleartext HTTP/2, or over HTTPS (HTTP/2 and HTTP/1.1 by ALPN), with Kestrel (Range, ETag and conditional requests come from
/// the static-file middleware), through a simulated network (<see cref="NetworkProfile"/>) and optionally injected
/// faults (<see cref="FaultPlan"/>), and reports every request.
/// </summary>
internal sealed class StaticFileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim? _connectionGate;
    private readonly Stopwatch _clock;
    private readonly InFlightCounter _inFlight;

    private StaticFileServer(WebApplication app, SemaphoreSlim? connectionGate, Stopwatch clock, InFlightCounter inFlight, Uri? http1, Uri? http2, Uri? https, X509Certificate2? certificate)
    {
        HttpsUrl = https;
        Certificate = certificate;
        _inFlight = inFlight;
        _app = app;
        _connectionGate = connectionGate;
        _clock = clock;
        Http1Url = http1;
        Http2Url = http2;
    }

    /// <summary>The clock <see cref="ServedRequest"/> times are measured on.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public Uri? Http1Url { get; }

    /// <summary>Cleartext HTTP/2 with prior knowledge (h2c).</summary>
    public Uri? Http2Url { get; }

    /// <summary>HTTPS, when the server was given a certificate: HTTP/2 or HTTP/1.1 as ALPN settles it.</summary>
    public Uri? HttpsUrl { get; }

    /// <summary>The certificate the HTTPS endpoint presents, for a client to trust; null without HTTPS.</summary>
    public X509Certificate2? Certificate { get; }

    public static async Task<StaticFileServer> StartAsync(
        string root,
        StaticFileServerOptions options,
        Action<ServedRequest>? onRequest,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var network = options.Network;
        var clock = Stopwatch.StartNew();
        var link = network.BytesPerSecond is { } total ? new BandwidthPacer(total) : null;
        var inFlight = new InFlightCounter();
        var perConnection = new ConcurrentDictionary<string, BandwidthPacer>(StringComparer.Ordinal);
        var gate = network.MaxConnections is { } max ? new SemaphoreSlim(max, max) : null;

        var app = KestrelApp.Create(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The simulated link paces responses on purpose; Kestrel's guard against slow readers (240 B/s after a
            // 5 s grace) would cut a stream that waits its turn on a slow preset shared by many streams.
            kestrel.Limits.MinResponseDataRate = null;
            if (options.Certificate is { } certificate)
            {
                kestrel.Listen(options.Address, options.HttpsPort, listen => ConfigureHttps(listen, certificate));
                return;
            }

            if (options.Protocols.HasFlag(ServeProtocols.Http1))
            {
                kestrel.Listen(options.Address, options.Http1Port, listen => Configure(listen, HttpProtocols.Http1));
            }

            if (options.Protocols.HasFlag(ServeProtocols.Http2))
            {
                kestrel.Listen(options.Address, options.Http2Port, listen => Configure(listen, HttpProtocols.Http2));
            }
        });
        app.Use(async (context, next) =>
        {
            using var busy = inFlight.Enter();
            var start = clock.Elapsed;
            var firstByte = TimeSpan.Zero;
            context.Response.OnStarting(() =>
            {
                firstByte = clock.Elapsed - start;
                return Task.CompletedTask;
            });
            var connectionPacer = network.BytesPerSecondPerConnection is { } cap
                ? perConnection.GetOrAdd(context.Connection.Id, _ => new BandwidthPacer(cap))
                : null;
            if (options.AllowAnyOrigin)
            {
                context.Response.Headers.AccessControlAllowOrigin = "*";
                context.Response.Headers["Timing-Allow-Origin"] = "*";
            }

            var counted = new CountingStream(context.Response.Body);
            context.Response.Body = new ThrottledResponseStream(counted, connectionPacer, link);
            try
            {
                if (network.RoundTrip > TimeSpan.Zero)
                {
                    await Task.Delay(network.RoundTrip, context.RequestAborted);
                }

                await next(context);
            }
            finally
            {
                onRequest?.Invoke(new ServedRequest(
                    start,
                    context.Request.Method,
                    context.Request.Path.Value ?? "/",
                    context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null,
                    context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 499 : context.Response.StatusCode,
                    counted.Written,
                    firstByte,
                    clock.Elapsed - start,
                    context.Connection.Id,
                    context.Request.Protocol,
                    FaultMiddleware.Applied(context) is { Count: > 0 } faults ? string.Join('+', faults.Select(FaultSpec.Name)) : null));
            }
        });
        if (options.Faults is { } plan)
        {
            app.UseFaults(plan);
        }

        app.UseStaticFolder(root);

        var addresses = await KestrelApp.StartAsync(app, cancellationToken);
        if (options.Certificate is not null)
        {
            return new StaticFileServer(app, gate, clock, inFlight, null, null, addresses[0], options.Certificate);
        }

        var http1 = options.Protocols.HasFlag(ServeProtocols.Http1) ? addresses[0] : null;
        var http2 = options.Protocols.HasFlag(ServeProtocols.Http2) ? addresses[^1] : null;
        return new StaticFileServer(app, gate, clock, inFlight, http1, http2, null, null);

        // The simulated link carries the handshake too: TCP's round trip (in Configure), then TLS's, before the first request.
        void ConfigureHttps(ListenOptions listen, X509Certificate2 certificate)
        {
            Configure(listen, options.Protocols == ServeProtocols.Http1 ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2);
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = async context =>
                {
                    if (network.RoundTrip > TimeSpan.Zero)
                    {
                        await Task.Delay(network.RoundTrip, context.CancellationToken);
                    }

                    return new SslServerAuthenticationOptions { ServerCertificate = certificate };
                },
            });
            listen.Use(next => async connection =>
            {
                var extra = TlsHandshakeRoundTrips.After(connection.Features.Get<ITlsHandshakeFeature>()?.Protocol ?? default) - 1;
                if (extra > 0 && network.RoundTrip > TimeSpan.Zero)
                {
                    await Task.Delay(network.RoundTrip * extra, connection.ConnectionClosed);
                }

                await next(connection);
            });
        }

        void Configure(ListenOptions listen, HttpProtocols protocols)
        {
            listen.Protocols = protocols;
            listen.Use(next => async connection =>
            {
                if (gate is not null)
                {
                    await gate.WaitAsync(connection.ConnectionClosed);
                }

                try
                {
                    // The handshake a real link would spend before the first request can be sent.
                    if (network.RoundTrip > TimeSpan.Zero)
                    {
                        await Task.Delay(network.RoundTrip, connection.ConnectionClosed);
                    }

                    await next(connection);
                }
                finally
                {
                    perConnection.TryRemove(connection.ConnectionId, out _);
                    gate?.Release();
                }
            });
        }
    }

    /// <summary>
    /// Waits until no request is being handled, so a log read afterwards is complete: a client can have every byte
    /// before the server has finished logging the response.
    /// </summary>
    public Task WaitUntilIdleAsync(CancellationToken cancellationToken) => _inFlight.WaitUntilZeroAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _connectionGate?.Dispose();
    }
}
