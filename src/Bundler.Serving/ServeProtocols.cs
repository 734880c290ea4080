namespace Bundler.Serving;

/// <summary>Which endpoints the server opens. Cleartext HTTP/2 (h2c) needs prior knowledge, so it gets its own port.</summary>
[Flags]
internal enum ServeProtocols
{
    Http1 = 1,
    Http2 = 2,
    Both = Http1 | Http2,
}
