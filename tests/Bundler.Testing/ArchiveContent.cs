using System.Text;

namespace Bundler.Testing;

/// <summary>Files to put in a test archive: path to bytes, plus the paths to mark executable.</summary>
public sealed class ArchiveContent
{
    public SortedDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Executable { get; } = new(StringComparer.Ordinal);

    public ArchiveContent Add(string path, string text) => Add(path, Encoding.UTF8.GetBytes(text));

    public ArchiveContent Add(string path, byte[] bytes, bool executable = false)
    {
        Files[path] = bytes;
        if (executable)
        {
            Executable.Add(path);
        }

        return this;
    }

    /// <summary>A typical small package: text, a compressible binary, an incompressible blob, nested folders.</summary>
    public static ArchiveContent Sample(string name, int seed = 1, int blobSize = 20_000)
    {
        var random = new Random(seed);
        var blob = new byte[blobSize];
        random.NextBytes(blob);
        var text = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            text.Append(CultureInfo(i)).Append(' ').Append(name).Append(" line ").Append(i).Append('\n');
        }

        return new ArchiveContent()
            .Add("README.md", $"# {name}\n")
            .Add("lib/net8.0/" + name + ".dll", blob)
            .Add("lib/net8.0/" + name + ".xml", text.ToString())
            .Add("tools/run.sh", "#!/bin/sh\necho hi\n"u8.ToArray(), executable: true)
            .Add("content/deep/nested/folder/data.json", "{\"name\": \"" + name + "\"}");
    }

    private static string CultureInfo(int i) => (i % 7) switch
    {
        0 => "function",
        1 => "return",
        2 => "value",
        3 => "package",
        4 => "version",
        5 => "import",
        _ => "class",
    };
}
