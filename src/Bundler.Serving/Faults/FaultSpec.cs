using System.Globalization;
using Bundler.Loader;

namespace Bundler.Serving.Faults;

/// <summary>
/// The <c>serve --faults</c> text: per-kind chances (<c>500=0.02,429=1%,reset=0.01,truncate=0.01,stall=0.005,bitflip=0.01</c>),
/// or one total chance (<c>5%</c>) spread evenly over the six kinds other than <c>norange</c>.
/// </summary>
internal static class FaultSpec
{
    private static readonly (string Name, FaultKind Kind)[] Kinds =
    [
        ("500", FaultKind.ServerError),
        ("429", FaultKind.TooManyRequests),
        ("reset", FaultKind.ResetMidBody),
        ("truncate", FaultKind.TruncatedBody),
        ("stall", FaultKind.StallBody),
        ("drip", FaultKind.DripBody),
        ("bitflip", FaultKind.WrongBytes),
        ("norange", FaultKind.NoRange),
    ];

    private const string Example = "500=0.02,429=0.01,reset=1%,truncate=0.01,stall=0.005,bitflip=0.01, or one total such as 5%";

    public static string Name(FaultKind kind) => Kinds.First(k => k.Kind == kind).Name;

    /// <summary>The rules for <paramref name="spec"/>; a stalled body is aborted after <paramref name="stallFor"/>.</summary>
    public static IReadOnlyList<Fault> Parse(string spec, TimeSpan stallFor)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var chances = new List<(FaultKind Kind, double Chance)>();
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts is [var total] && !total.Contains('=', StringComparison.Ordinal))
        {
            var each = ParseChance(total, spec) / 6;
            chances.AddRange(Kinds.Where(k => k.Kind is not (FaultKind.NoRange or FaultKind.DripBody)).Select(k => (k.Kind, each)));
        }
        else
        {
            foreach (var part in parts)
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? part : part[..equals].Trim();
                var known = Kinds.Where(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (equals < 0 || known is not [var kind])
                {
                    throw Invalid(spec, $"'{part}' is not KIND=CHANCE with KIND one of {string.Join(", ", Kinds.Select(k => k.Name))}");
                }

                if (chances.Any(c => c.Kind == kind.Kind))
                {
                    throw Invalid(spec, $"'{kind.Name}' is given twice");
                }

                chances.Add((kind.Kind, ParseChance(part[(equals + 1)..].Trim(), spec)));
            }
        }

        if (chances.Sum(c => c.Chance) > 1.0 + 1e-9)
        {
            throw Invalid(spec, "the chances add up to more than 100%");
        }

        return [.. chances.Where(c => c.Chance > 0).Select(c => new Fault(c.Kind, Times: int.MaxValue, Probability: c.Chance) { StallFor = stallFor })];
    }

    /// <summary>"500 2%, reset 1%" for the line <c>serve</c> prints when it starts.</summary>
    public static string Describe(IEnumerable<Fault> faults) =>
        string.Join(", ", faults.Select(f => string.Create(CultureInfo.InvariantCulture, $"{Name(f.Kind)} {f.Probability * 100:0.###}%")));

    private static double ParseChance(string text, string spec)
    {
        var percent = text.EndsWith('%');
        var number = percent ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(spec, $"'{text}' is not a chance");
        }

        var chance = percent ? value / 100 : value;
        return chance <= 1.0 ? chance : throw Invalid(spec, $"'{text}' is more than 100%");
    }

    private static BundleException Invalid(string spec, string why) =>
        new($"--faults '{spec}' is not valid: {why}. Write it like {Example}.");
}
