using Microsoft.Extensions.FileSystemGlobbing;

namespace Bundler.Core.Writing;

/// <summary>Decides which archive paths a package keeps, from include and exclude globs (case-sensitive).</summary>
internal sealed class FileSelector
{
    private readonly Matcher? _matcher;

    public FileSelector(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        if (include.Count == 0 && exclude.Count == 0)
        {
            return;
        }

        _matcher = new Matcher(StringComparison.Ordinal);
        _matcher.AddIncludePatterns(include.Count == 0 ? ["**/*"] : include);
        _matcher.AddExcludePatterns(exclude);
    }

    /// <summary>Keeps the paths the globs select, in their given order.</summary>
    public IEnumerable<T> Select<T>(IReadOnlyList<T> items, Func<T, string> path)
    {
        if (_matcher is null)
        {
            return items;
        }

        var selected = _matcher.Match("/", items.Select(path)).Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return items.Where(item => selected.Contains(path(item)));
    }
}
