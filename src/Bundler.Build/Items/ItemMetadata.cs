using Microsoft.Build.Framework;

namespace Bundler.Build.Items;

/// <summary>How the tasks read item metadata: a flag is on when it is <c>true</c> (any case); globs are ';'-separated.</summary>
internal static class ItemMetadata
{
    public static bool IsTrue(ITaskItem item, string name) => string.Equals(item.GetMetadata(name).Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static string[] Globs(ITaskItem item, string name) =>
        item.GetMetadata(name).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
