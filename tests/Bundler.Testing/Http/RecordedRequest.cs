namespace Bundler.Testing.Http;

/// <summary>One request as the loopback server saw it, recorded when its response completed.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string? Range,
    string? Authorization,
    int StatusCode,
    long ResponseBytes,
    string ConnectionId,
    string Protocol);
