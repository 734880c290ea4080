using System.Security.Cryptography;
using System.Text.Json;
using Bundler.Testing.Http;

namespace Bundler.Testing.Feeds;

/// <summary>
/// A folder shaped like a Pyodide distribution (pyodide-lock.json and real .whl files made by the tests), served as
/// static files by a <see cref="LoopbackServer"/>. The lock mirrors Pyodide's: normalized keys, name, version,
/// file_name, sha256, depends.
/// </summary>
public sealed class PyodideTestDistribution(string folder)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly Dictionary<string, object> _packages = new(StringComparer.Ordinal);

    public string Folder => folder;

    public string LockPath => Path.Combine(folder, "pyodide-lock.json");

    public PyodideTestDistribution Add(string name, string version, params string[] depends)
    {
        Directory.CreateDirectory(folder);
        var fileName = $"{name.Replace('-', '_')}-{version}-py3-none-any.whl";
        TestArchives.Zip(Path.Combine(folder, fileName), new ArchiveContent()
            .Add($"{name.Replace('-', '_')}/__init__.py", $"__version__ = \"{version}\"\n")
            .Add($"{name.Replace('-', '_')}-{version}.dist-info/METADATA", $"Name: {name}\nVersion: {version}\n"));
        _packages[name.ToLowerInvariant()] = new Dictionary<string, object>
        {
            ["name"] = name,
            ["version"] = version,
            ["file_name"] = fileName,
            ["install_dir"] = "site",
            ["sha256"] = Sha256(fileName),
            ["package_type"] = "package",
            ["imports"] = new[] { name.Replace('-', '_') },
            ["depends"] = depends,
        };
        WriteLock();
        return this;
    }

    public string Sha256(string fileName) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, fileName))));

    public Task<LoopbackServer> StartAsync() => LoopbackServer.ServeDirectoryAsync(folder);

    private void WriteLock() => File.WriteAllText(LockPath, JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["info"] = new Dictionary<string, string> { ["arch"] = "wasm32", ["platform"] = "emscripten_3_1_58", ["version"] = "0.27.0", ["python"] = "3.12.7" },
        ["packages"] = _packages,
    }, Indented));
}
