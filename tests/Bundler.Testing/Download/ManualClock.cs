namespace Bundler.Testing.Download;

/// <summary>A clock that moves only when told to, for rates measured over time.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _now = 1;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => _now;

    public void Advance(TimeSpan by) => _now += (long)(by.TotalSeconds * TimestampFrequency);
}
