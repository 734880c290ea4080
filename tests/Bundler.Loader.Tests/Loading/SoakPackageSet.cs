using System.Security.Cryptography;
using Bundler.Core.Writing;
using Bundler.Testing;

namespace Bundler.Loader.Tests.Loading;

/// <summary>
/// Many small real zip archives in one folder, <c>Soak.Package{n}.1.0.{n}.zip</c>, each with a few files of different
/// sizes, and the ways the soak tests name them: as bundle writer inputs and as a bundle.json <c>urls</c> source.
/// </summary>
internal sealed class SoakPackageSet
{
    private SoakPackageSet(string folder, IReadOnlyList<(string Id, string Version, string FileName)> archives)
    {
        Folder = folder;
        Archives = archives;
    }

    public string Folder { get; }

    public IReadOnlyList<(string Id, string Version, string FileName)> Archives { get; }

    public static SoakPackageSet Create(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var archives = new List<(string, string, string)>();
        for (var n = 0; n < count; n++)
        {
            var id = $"Soak.Package{n:000}";
            var version = $"1.0.{n}";
            var blob = new byte[random.Next(1, 24_000)];
            random.NextBytes(blob);
            var content = new ArchiveContent()
                .Add("README.md", $"# {id} {version}\n")
                .Add($"lib/{id}.dll", blob)
                .Add("data/values.txt", string.Join('\n', Enumerable.Range(0, random.Next(1, 500)).Select(i => $"{id} value {i}")));
            var fileName = $"{id}.{version}.zip";
            TestArchives.Zip(Path.Combine(folder, fileName), content);
            archives.Add((id, version, fileName));
        }

        return new SoakPackageSet(folder, archives);
    }

    /// <summary>The archives as <c>pack --from-dir</c> would take them.</summary>
    public IReadOnlyList<PackageInput> LocalInputs() =>
        [.. Archives.Select(a => new PackageInput { Id = a.Id, Version = a.Version, ArchivePath = Path.Combine(Folder, a.FileName) })];

    /// <summary>
    /// What <c>pack bundle.json</c> hands the writer for <see cref="WriteBundleJson"/> with this server, but made from
    /// the local files: the reference a pack through any network must equal. The manifest records each URL and names
    /// each archive by its URL's file name.
    /// </summary>
    public IReadOnlyList<PackageInput> DownloadedInputs(Uri server) =>
        [.. Archives.Select(a => new PackageInput { Id = a.Id, Version = a.Version, ArchivePath = Path.Combine(Folder, a.FileName), Source = "web", Url = new Uri(server, a.FileName).AbsoluteUri })];

    /// <summary>A bundle.json with one <c>urls</c> source listing every archive on the server, with its sha512 and size.</summary>
    public void WriteBundleJson(string path, Uri server)
    {
        var packages = Archives.Select(a =>
        {
            var bytes = File.ReadAllBytes(Path.Combine(Folder, a.FileName));
            var integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(bytes));
            return $$"""    { "source": "web", "id": "{{a.Id}}", "version": "{{a.Version}}", "url": "{{new Uri(server, a.FileName).AbsoluteUri}}", "integrity": "{{integrity}}", "size": {{bytes.Length}} }""";
        });
        File.WriteAllText(path, "{\n  \"sources\": { \"web\": { \"type\": \"urls\" } },\n  \"packages\": [\n" + string.Join(",\n", packages) + "\n  ]\n}\n");
    }
}
