using System.CommandLine;
using Bundler.Serving.Network;

namespace Bundler.Cli.Options;

/// <summary>The command-line options that describe a simulated network: a preset, and explicit values that override it.</summary>
internal sealed class NetworkOptions
{
    private readonly Option<string?> _preset = new("--preset")
    {
        Description = "A named network: " + string.Join(", ", NetworkPresets.Profiles.Select(p => $"{p.Name} ({p.Describe()})")) + ".",
    };

    private readonly Option<string?> _rtt = new("--rtt") { Description = "Round-trip time added to every request and connection, e.g. 40ms." };
    private readonly Option<string?> _bandwidth = new("--bandwidth") { Description = "Total bandwidth of the link, e.g. 8mbit or 2MB (per second)." };
    private readonly Option<string?> _connectionBandwidth = new("--connection-bandwidth") { Description = "Bandwidth cap of each connection, e.g. 2mbit." };
    private readonly Option<int?> _maxConnections = new("--max-connections") { Description = "Connections served at once; later ones wait." };

    public static NetworkOptions Create() => new();

    public void AddTo(Command command)
    {
        _preset.AcceptOnlyFromAmong([.. NetworkPresets.Names]);
        command.Add(_preset);
        command.Add(_rtt);
        command.Add(_bandwidth);
        command.Add(_connectionBandwidth);
        command.Add(_maxConnections);
    }

    public NetworkProfile Read(ParseResult parse)
    {
        var presetName = parse.GetValue(_preset);
        var profile = presetName is null ? NetworkProfile.Unthrottled : NetworkPresets.Find(presetName)!;
        if (parse.GetValue(_rtt) is { } rtt)
        {
            profile = profile with { Name = "custom", RoundTrip = NetworkUnits.TryParseDuration(rtt, out var value) ? value : throw OptionValues.Invalid("--rtt", rtt, "40ms or 0.2s") };
        }

        if (parse.GetValue(_bandwidth) is { } bandwidth)
        {
            profile = profile with { Name = "custom", BytesPerSecond = NetworkUnits.TryParseBytesPerSecond(bandwidth, out var value) ? value : throw OptionValues.Invalid("--bandwidth", bandwidth, "8mbit or 2MB") };
        }

        if (parse.GetValue(_connectionBandwidth) is { } connectionBandwidth)
        {
            profile = profile with { Name = "custom", BytesPerSecondPerConnection = NetworkUnits.TryParseBytesPerSecond(connectionBandwidth, out var value) ? value : throw OptionValues.Invalid("--connection-bandwidth", connectionBandwidth, "2mbit or 512KB") };
        }

        if (parse.GetValue(_maxConnections) is { } maxConnections)
        {
            profile = profile with { Name = "custom", MaxConnections = maxConnections >= 1 ? maxConnections : throw OptionValues.Invalid("--max-connections", maxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number of at least 1") };
        }

        return profile;
    }
}
