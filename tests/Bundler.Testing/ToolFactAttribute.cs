using Xunit;

namespace Bundler.Testing;

/// <summary>A fact that needs programs of the machine; it is skipped, saying which, only when one is truly absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => ExternalTool.Find(t) is null).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"needs {string.Join(", ", missing)} on PATH (apt-get install {string.Join(' ', missing)})";
        }
    }
}
