namespace Bundler.Cli.Serving;

/// <summary>One request as the server handled it. Times are relative to the server's start.</summary>
internal sealed record ServedRequest(
    TimeSpan Start,
    string Method,
    string Path,
    string? Range,
    int Status,
    long Bytes,
    TimeSpan FirstByte,
    TimeSpan Duration,
    string Connection,
    string Protocol);
