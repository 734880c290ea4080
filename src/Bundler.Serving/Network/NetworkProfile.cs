namespace Bundler.Serving.Network;

/// <summary>
/// The simulated network a served response travels: a round-trip time added before every response (and once more
/// when a connection opens, as a TCP handshake would), a bandwidth shared by all connections, a bandwidth cap for
/// each connection, and a bound on how many connections are served at once (later ones wait, as on a busy server).
/// Null means unlimited.
/// </summary>
internal sealed record NetworkProfile(
    string Name,
    TimeSpan RoundTrip,
    long? BytesPerSecond,
    long? BytesPerSecondPerConnection,
    int? MaxConnections)
{
    public static NetworkProfile Unthrottled { get; } = new("none", TimeSpan.Zero, null, null, null);

    public bool IsUnthrottled => RoundTrip == TimeSpan.Zero && BytesPerSecond is null && BytesPerSecondPerConnection is null && MaxConnections is null;

    public string Describe()
    {
        if (IsUnthrottled)
        {
            return "unthrottled";
        }

        var parts = new List<string> { NetworkUnits.FormatDuration(RoundTrip) + " RTT" };
        if (BytesPerSecond is { } total)
        {
            parts.Add(NetworkUnits.FormatBitsPerSecond(total));
        }

        if (BytesPerSecondPerConnection is { } perConnection)
        {
            parts.Add(NetworkUnits.FormatBitsPerSecond(perConnection) + " per connection");
        }

        if (MaxConnections is { } max)
        {
            parts.Add(max + " connections");
        }

        return string.Join(", ", parts);
    }
}
