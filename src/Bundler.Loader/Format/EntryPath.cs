using System.Text;

namespace Bundler.Loader.Format;

/// <summary>
/// The rules every path in a bundle obeys, checked when writing and again when reading: relative, '/'-separated,
/// no empty, '.' or '..' segments, no drive letters, colons, backslashes, control characters or lone surrogates,
/// bounded length, and each segment a name every operating system holds alike (<see cref="PortableSegment"/>).
/// A path that passes cannot leave the folder it is joined to, on any operating system.
/// </summary>
public static class EntryPath
{
    /// <summary>Returns why <paramref name="path"/> is not a safe relative path, or null when it is.</summary>
    public static string? Problem(string path, int maxLength = 1024)
    {
        if (path.Length == 0)
        {
            return "the path is empty";
        }

        if (Encoding.UTF8.GetByteCount(path) > maxLength)
        {
            return $"the path is longer than {maxLength} bytes";
        }

        if (path[0] == '/')
        {
            return "the path is absolute";
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\')
            {
                return "the path contains a backslash";
            }

            if (c == ':')
            {
                return "the path contains a colon (a drive letter or stream name on Windows)";
            }

            if (char.IsControl(c))
            {
                return "the path contains a control character";
            }

            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < path.Length && char.IsLowSurrogate(path[++i])))
            {
                return "the path is not valid Unicode (it holds a lone surrogate)";
            }
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "the path has an empty segment";
            }

            if (segment is "." or "..")
            {
                return $"the path has a '{segment}' segment";
            }

            if (PortableSegment.Problem(segment) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="path"/> passes <see cref="Problem"/>.</summary>
    public static bool IsValid(string path, int maxLength = 1024) => Problem(path, maxLength) is null;

    /// <summary>An archive entry's name as a bundle path: '\' to '/', leading './' removed (not yet checked).</summary>
    internal static string FromArchiveEntry(string name)
    {
        var path = name.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path;
    }

    /// <summary>
    /// The package-relative path a link entry at <paramref name="linkPath"/> points to, or null when it leaves the
    /// package. A hard link's target is a path from the archive's root, a symbolic link's from the link's folder.
    /// </summary>
    internal static string? ResolveLink(string linkPath, string target, bool targetIsFromRoot)
    {
        while (target.StartsWith("./", StringComparison.Ordinal))
        {
            target = target[2..];
        }

        if (target.Length == 0 || target.StartsWith('/') || target.Contains(':', StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        List<string> segments = targetIsFromRoot ? [] : [.. linkPath.Split('/')[..^1]];
        foreach (var segment in target.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>Joins a validated relative path to a root folder, checking once more that the result stays inside it.</summary>
    internal static string Combine(string root, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        var rootFull = Path.GetFullPath(root);
        var prefix = rootFull.EndsWith(Path.DirectorySeparatorChar) ? rootFull : rootFull + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new BundleException($"The path '{relativePath}' leaves the target folder '{root}'.");
        }

        return full;
    }
}
