using Bundler.Testing;

namespace Bundler.Web.Tests;

/// <summary>A fact that runs samples/PyodideWeb in headless Chromium; skipped, saying what to install, when Chromium, node or the sample's Pyodide is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PyodideSampleFactAttribute : FactAttribute
{
    public PyodideSampleFactAttribute()
    {
        Skip = BrowserTheoryAttribute.SkipReason
            ?? (ExternalTool.Find("node") is null ? "needs node on PATH"
            : !File.Exists(Path.Combine(SampleFolder, "node_modules", "pyodide", "pyodide.mjs")) ? $"needs Pyodide from npm: run npm ci in {SampleFolder} (.ci/run does)"
            : null);
    }

    internal static string SampleFolder => Path.Combine(RepositoryRoot.Path, "samples", "PyodideWeb");
}
