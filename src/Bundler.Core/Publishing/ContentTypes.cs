namespace Bundler.Core.Publishing;

/// <summary>The Content-Type an object store gives each object of a publish (docs/FORMAT.md §12.1), by its name.</summary>
public static class ContentTypes
{
    public static string Of(string name) =>
        name.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
        : name.EndsWith(".txt", StringComparison.Ordinal) ? "text/plain; charset=utf-8"
        : name.EndsWith(".zst", StringComparison.Ordinal) ? "application/zstd"
        : "application/octet-stream";
}
