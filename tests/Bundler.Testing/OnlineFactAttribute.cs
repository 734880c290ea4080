using Xunit;

namespace Bundler.Testing;

/// <summary>A fact that talks to real registries on the internet: it runs only when BUNDLER_ONLINE_TESTS=1.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnlineFactAttribute : FactAttribute
{
    public OnlineFactAttribute(params string[] tools)
    {
        if (Environment.GetEnvironmentVariable("BUNDLER_ONLINE_TESTS") != "1")
        {
            Skip = "talks to real registries; set BUNDLER_ONLINE_TESTS=1 to run it";
            return;
        }

        var missing = tools.Where(t => ExternalTool.Find(t) is null).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs {string.Join(", ", missing)} on PATH";
        }
    }
}
