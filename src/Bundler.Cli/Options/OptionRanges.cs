using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Bundler.Cli.Options;

/// <summary>
/// The range rules of option values. Each adds a validator to the option, so that a value out of range is a usage error
/// (exit code 2) naming the option, the value as it was typed and the values allowed, before the command runs.
/// </summary>
internal static class OptionRanges
{
    public static Option<T> InRange<T>(this Option<T> option, T min, T max) where T : struct, INumber<T> =>
        option.Accepting(value => value >= min && value <= max, $"{Text(min)} to {Text(max)}");

    public static Option<T?> InRange<T>(this Option<T?> option, T min, T max) where T : struct, INumber<T> =>
        option.Accepting(value => value is not { } v || (v >= min && v <= max), $"{Text(min)} to {Text(max)}");

    public static Option<T> AtLeast<T>(this Option<T> option, T min) where T : struct, INumber<T> =>
        option.Accepting(value => value >= min, $"{Text(min)} or more");

    public static Option<T?> AtLeast<T>(this Option<T?> option, T min) where T : struct, INumber<T> =>
        option.Accepting(value => value is not { } v || v >= min, $"{Text(min)} or more");

    public static Option<T> NonNegative<T>(this Option<T> option) where T : struct, INumber<T> => option.AtLeast(T.Zero);

    /// <summary>More than zero and at most <paramref name="max"/>; also refuses NaN, which compares false to both.</summary>
    public static Option<T> Positive<T>(this Option<T> option, T max) where T : struct, INumber<T> =>
        option.Accepting(value => value > T.Zero && value <= max, $"more than 0, up to {Text(max)}");

    /// <summary>A duration above zero (the parser already refuses negative ones and bounds the largest).</summary>
    public static Option<TimeSpan> Positive(this Option<TimeSpan> option) =>
        option.Accepting(value => value > TimeSpan.Zero, "a duration above 0, such as 500ms or 30s");

    /// <summary>Any rule that is not a plain range; <paramref name="allowed"/> says in words which values it accepts.</summary>
    public static Option<T> Accepting<T>(this Option<T> option, Func<T, bool> isAllowed, string allowed)
    {
        option.Validators.Add(result =>
        {
            // A default value is in range by construction.
            if (result.Implicit || result.Tokens.Count == 0 || !TryGetValue(result, out T value))
            {
                return;
            }

            if (!isAllowed(value))
            {
                result.AddError(OutOfRange(option.Name, result.Tokens[^1].Value, allowed));
            }
        });
        return option;
    }

    public static string OutOfRange(string option, string value, string allowed) => $"{option} '{value}' is out of range; use {allowed}.";

    /// <summary>False for a value that did not convert; System.CommandLine has reported that error already.</summary>
    private static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Text<T>(T value) where T : INumber<T> => value.ToString(null, CultureInfo.InvariantCulture);
}
