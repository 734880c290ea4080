namespace Bundler.Serving.Faults;

/// <summary>What a faulty server does wrong.</summary>
internal enum FaultKind
{
    /// <summary>Answers 500 Internal Server Error with no file.</summary>
    ServerError,

    /// <summary>Answers 429 Too Many Requests with a Retry-After header.</summary>
    TooManyRequests,

    /// <summary>Sends part of the body, then aborts the connection.</summary>
    ResetMidBody,

    /// <summary>Announces the full Content-Length but ends the response early.</summary>
    TruncatedBody,

    /// <summary>Sends part of the body, then sends nothing more until the client gives up.</summary>
    StallBody,

    /// <summary>Sends part of the body, then the rest one byte at a time, <see cref="Fault.DripEvery"/> apart.</summary>
    DripBody,

    /// <summary>Sends the full length with one byte changed.</summary>
    WrongBytes,

    /// <summary>Ignores Range and If-Range, and does not advertise Accept-Ranges: every request gets the whole file.</summary>
    NoRange,
}
