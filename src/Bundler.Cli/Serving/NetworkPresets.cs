namespace Bundler.Cli.Serving;

/// <summary>
/// Named networks, so runs on different machines mean the same thing. The mobile figures follow the throttling
/// profiles browsers' developer tools ship (Slow 3G, Fast 3G/"3g", a typical 4G cell); the wired ones are common
/// consumer and office links. The README lists the numbers.
/// </summary>
internal static class NetworkPresets
{
    private static readonly NetworkProfile[] All =
    [
        new("lan", TimeSpan.FromMilliseconds(1), Rates.MegabitsPerSecond(1000), null, null),
        new("cable", TimeSpan.FromMilliseconds(20), Rates.MegabitsPerSecond(100), null, null),
        new("dsl", TimeSpan.FromMilliseconds(40), Rates.MegabitsPerSecond(8), null, null),
        new("4g", TimeSpan.FromMilliseconds(60), Rates.MegabitsPerSecond(20), null, null),
        new("3g", TimeSpan.FromMilliseconds(150), Rates.MegabitsPerSecond(1.6), null, null),
        new("slow-3g", TimeSpan.FromMilliseconds(400), Rates.MegabitsPerSecond(0.4), null, null),
    ];

    public static IReadOnlyList<NetworkProfile> Profiles => All;

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    public static NetworkProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
