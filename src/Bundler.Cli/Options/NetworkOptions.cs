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

    private readonly Option<TimeSpan?> _rtt = OptionValues.OptionalDuration("--rtt", "Round-trip time added to every request and connection, e.g. 40ms.", "40ms or 0.2s");
    private readonly Option<long?> _bandwidth = OptionValues.OptionalRate("--bandwidth", "Total bandwidth of the link, e.g. 8mbit or 2MB (per second).", "8mbit or 2MB");
    private readonly Option<long?> _connectionBandwidth = OptionValues.OptionalRate("--connection-bandwidth", "Bandwidth cap of each connection, e.g. 2mbit.", "2mbit or 512KB");
    private readonly Option<int?> _maxConnections = new Option<int?>("--max-connections") { Description = "Connections served at once; later ones wait." }.AtLeast(1);

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
            profile = profile with { Name = "custom", RoundTrip = rtt };
        }

        if (parse.GetValue(_bandwidth) is { } bandwidth)
        {
            profile = profile with { Name = "custom", BytesPerSecond = bandwidth };
        }

        if (parse.GetValue(_connectionBandwidth) is { } connectionBandwidth)
        {
            profile = profile with { Name = "custom", BytesPerSecondPerConnection = connectionBandwidth };
        }

        if (parse.GetValue(_maxConnections) is { } maxConnections)
        {
            profile = profile with { Name = "custom", MaxConnections = maxConnections };
        }

        return profile;
    }
}
