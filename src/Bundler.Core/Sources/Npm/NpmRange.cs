using System.Globalization;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace Bundler.Core.Sources.Npm;

/// <summary>
/// npm's range syntax (<c>1.2.3</c>, <c>=1.2</c>, <c>^1.2.3</c>, <c>~1.2</c>, <c>1.x</c>, <c>*</c>, <c>&gt;=1 &lt;3</c>,
/// <c>1.2 - 2</c>, <c>^1 || ^2</c>) translated into NuGet ranges, following node-semver's desugaring: an upper bound
/// that excludes a version excludes its prereleases too (<c>&lt;2.0.0-0</c>).
/// </summary>
internal static partial class NpmRange
{
    public static bool Satisfies(IReadOnlyList<NpmComparatorSet> sets, NuGetVersion version) => sets.Any(s => s.Satisfies(version));

    /// <summary>A dist-tag rather than a range: a name that starts with a letter other than v or x followed by a digit.</summary>
    public static bool IsTag(string text) => TagPattern().IsMatch(text.Trim()) && TryParse(text) is null;

    /// <summary>The alternatives of <paramref name="text"/>, or null when it is not an npm range.</summary>
    public static IReadOnlyList<NpmComparatorSet>? TryParse(string text)
    {
        var sets = new List<NpmComparatorSet>();
        foreach (var alternative in text.Split("||"))
        {
            var set = ParseSet(alternative.Trim());
            if (set is null)
            {
                return null;
            }

            sets.Add(set);
        }

        return sets;
    }

    private static NpmComparatorSet? ParseSet(string text)
    {
        var bounds = new Bounds();
        var hyphen = HyphenPattern().Match(text);
        if (hyphen.Success)
        {
            var from = Partial.Parse(hyphen.Groups[1].Value);
            var to = Partial.Parse(hyphen.Groups[2].Value);
            if (from is null || to is null)
            {
                return null;
            }

            bounds.Apply(">=", from);
            bounds.Apply(to.IsFull ? "<=" : "<", to.IsFull ? to : to.Bump());
            return bounds.ToSet();
        }

        // node-semver allows a space between an operator and its version: ">= 1.2.3".
        var normalized = OperatorSpacePattern().Replace(text, "$1");
        foreach (var token in normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var match = ComparatorPattern().Match(token);
            if (!match.Success)
            {
                return null;
            }

            var op = match.Groups[1].Value;
            var partial = Partial.Parse(match.Groups[2].Value);
            if (partial is null)
            {
                return null;
            }

            if (!bounds.Add(op, partial))
            {
                return null;
            }
        }

        return bounds.ToSet();
    }

    [GeneratedRegex(@"^\s*(\S+)\s+-\s+(\S+)\s*$")]
    private static partial Regex HyphenPattern();

    [GeneratedRegex(@"(<=|>=|<|>|=|~>|~|\^)\s+")]
    private static partial Regex OperatorSpacePattern();

    [GeneratedRegex(@"^(<=|>=|<|>|=|~>|~|\^)?(.+)$")]
    private static partial Regex ComparatorPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9._-]*$")]
    private static partial Regex TagPattern();

    /// <summary>A version with possibly missing or wildcard parts: <c>1</c>, <c>1.2</c>, <c>1.x</c>, <c>1.2.3-beta</c>.</summary>
    private sealed partial record Partial(int? Major, int? Minor, int? Patch, string? Prerelease)
    {
        public bool IsFull => Patch is not null;

        public bool IsAny => Major is null;

        public static Partial? Parse(string text)
        {
            var match = PartialPattern().Match(text.Trim());
            if (!match.Success)
            {
                return null;
            }

            int? Part(Group group) => !group.Success || group.Value is "x" or "X" or "*" ? null : int.Parse(group.Value, CultureInfo.InvariantCulture);
            var major = Part(match.Groups[1]);
            var minor = major is null ? null : Part(match.Groups[2]);
            var patch = minor is null ? null : Part(match.Groups[3]);
            var prerelease = patch is not null && match.Groups[4].Success ? match.Groups[4].Value : null;
            return new Partial(major, minor, patch, prerelease);
        }

        public NuGetVersion Version => new(
            Major ?? 0, Minor ?? 0, Patch ?? 0,
            Prerelease is null ? [] : Prerelease.Split('.'), metadata: null);

        /// <summary>The first version after every version this partial covers, as a <c>-0</c> prerelease.</summary>
        public Partial Bump() => Minor is null
            ? new Partial(Major + 1, 0, 0, "0")
            : new Partial(Major, Minor + 1, 0, "0");

        [GeneratedRegex(@"^[v=]?\s*(0|[1-9]\d*|[xX*])(?:\.(0|[1-9]\d*|[xX*])(?:\.(0|[1-9]\d*|[xX*])(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?)?)?$")]
        private static partial Regex PartialPattern();
    }

    /// <summary>The intersection of a comparator set's bounds.</summary>
    private sealed class Bounds
    {
        private NuGetVersion? _min;
        private bool _minInclusive = true;
        private NuGetVersion? _max;
        private bool _maxInclusive;
        private readonly List<(int, int, int)> _prereleaseTuples = [];

        public bool Add(string op, Partial p)
        {
            if (p.IsAny)
            {
                // "*", "x", ">=*": anything; "<*" and ">*": nothing, which no version satisfies.
                if (op is "<" or ">")
                {
                    Apply("<", new Partial(0, 0, 0, "0"));
                }

                return true;
            }

            switch (op)
            {
                case "" or "=":
                    if (p.IsFull)
                    {
                        Apply(">=", p);
                        Apply("<=", p);
                    }
                    else
                    {
                        Apply(">=", p);
                        Apply("<", p.Bump());
                    }

                    return true;
                case "~" or "~>":
                    Apply(">=", p);
                    Apply("<", p.Minor is null ? p.Bump() : new Partial(p.Major, p.Minor + 1, 0, "0"));
                    return true;
                case "^":
                    Apply(">=", p);
                    Apply("<", p.Major != 0 || p.Minor is null
                        ? new Partial(p.Major + 1, 0, 0, "0")
                        : p.Minor != 0 || p.Patch is null
                            ? new Partial(0, p.Minor + 1, 0, "0")
                            : new Partial(0, 0, p.Patch + 1, "0"));
                    return true;
                case ">":
                    Apply(p.IsFull ? ">" : ">=", p.IsFull ? p : p.Bump() with { Prerelease = null });
                    return true;
                case "<=":
                    Apply(p.IsFull ? "<=" : "<", p.IsFull ? p : p.Bump());
                    return true;
                case "<":
                    Apply("<", p.IsFull ? p : p with { Minor = p.Minor ?? 0, Patch = 0, Prerelease = "0" });
                    return true;
                default:
                    Apply(op, p);
                    return true;
            }
        }

        public void Apply(string op, Partial p)
        {
            if (p.Prerelease is not null && p.Prerelease != "0")
            {
                _prereleaseTuples.Add((p.Major ?? 0, p.Minor ?? 0, p.Patch ?? 0));
            }

            var version = p.Version;
            switch (op)
            {
                case ">=" or ">":
                    var inclusive = op == ">=";
                    if (_min is null || version > _min || (version == _min && !inclusive))
                    {
                        (_min, _minInclusive) = (version, inclusive);
                    }

                    break;
                default:
                    var maxInclusive = op == "<=";
                    if (_max is null || version < _max || (version == _max && !maxInclusive))
                    {
                        (_max, _maxInclusive) = (version, maxInclusive);
                    }

                    break;
            }
        }

        public NpmComparatorSet ToSet() => new(
            new VersionRange(_min ?? new NuGetVersion(0, 0, 0), _minInclusive, _max, _maxInclusive),
            _prereleaseTuples);
    }
}
