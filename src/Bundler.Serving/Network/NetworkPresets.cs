namespace Bundler.Serving.Network;

/// <summary>
/// Named networks, so runs on different machines mean the same thing. The mobile figures follow the throttling
/// profiles browsers' developer tools ship (Slow 3G, Fast 3G/"3g", a typical 4G cell); the wired ones are common
/// consumer and office links. The README lists the numbers.
/// </summary>
internal static class NetworkPresets
{
    private static readonly NetworkProfile[] All =
    [
        new("lan", TimeSpan.FromMilliseconds(1), NetworkUnits.MegabitsPerSecond(1000), null, null),
        new("cable", TimeSpan.FromMilliseconds(20), NetworkUnits.MegabitsPerSecond(100), null, null),
        new("dsl", TimeSpan.FromMilliseconds(40), NetworkUnits.MegabitsPerSecond(8), null, null),
        new("4g", TimeSpan.FromMilliseconds(60), NetworkUnits.MegabitsPerSecond(20), null, null),
        new("3g", TimeSpan.FromMilliseconds(150), NetworkUnits.MegabitsPerSecond(1.6), null, null),
        new("slow-3g", TimeSpan.FromMilliseconds(400), NetworkUnits.MegabitsPerSecond(0.4), null, null),
    ];

    public static IReadOnlyList<NetworkProfile> Profiles => All;

    public static IEnumerable<string> Names => All.Select(p => p.Name);

    public static NetworkProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
