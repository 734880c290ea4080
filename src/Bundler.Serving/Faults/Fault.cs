namespace Bundler.Serving.Faults;

/// <summary>One rule of a <see cref="FaultPlan"/>: which requests it hits and what goes wrong.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Path">Request paths it applies to: an exact path ("/a.bin"), or null for every path.</param>
/// <param name="Times">How many requests per path it hits before it stops (int.MaxValue: always).</param>
/// <param name="Probability">The chance that a matching request is hit; see <see cref="FaultPlan"/> for how chances combine.</param>
internal sealed record Fault(FaultKind Kind, string? Path = null, int Times = 1, double Probability = 1.0)
{
    /// <summary>How many matching requests per path pass untouched before the fault starts hitting.</summary>
    public int After { get; init; }

    /// <summary>Where a body fault strikes, in bytes; null: half of the response body.</summary>
    public long? AtByte { get; init; }

    /// <summary>The Retry-After sent with 429.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stalled body stays silent before the server gives up on it (unless the client leaves first).</summary>
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How far apart a dripping body sends its bytes.</summary>
    public TimeSpan DripEvery { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether this fault hits the body rather than the status line.</summary>
    public bool IsBodyFault => Kind is FaultKind.ResetMidBody or FaultKind.TruncatedBody or FaultKind.StallBody or FaultKind.DripBody or FaultKind.WrongBytes;
}
