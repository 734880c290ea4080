using Xunit;
using Bundler.Comparison.Browser;

namespace Bundler.Testing;

/// <summary>A theory run in headless Chromium with the browser loader built in; skipped, saying what to install, only when either is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        Skip = SkipReason;
    }

    internal static string? SkipReason =>
        HeadlessBrowser.Find() is null ? "needs chromium on PATH (apt-get install chromium)"
        : BrowserLoaderAssets.Missing is { } missing ? "needs the browser loader's decoder: " + missing + " (.ci/run does)"
        : null;
}

/// <summary>A fact run in headless Chromium, skipped as <see cref="BrowserTheoryAttribute"/> is.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        Skip = BrowserTheoryAttribute.SkipReason;
    }
}
