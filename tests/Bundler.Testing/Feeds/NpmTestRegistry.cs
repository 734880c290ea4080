using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Testing.Http;

namespace Bundler.Testing.Feeds;

/// <summary>A package an <see cref="NpmTestRegistry"/> serves; its tarball is a real .tgz holding package/package.json.</summary>
public sealed record NpmTestPackage(string Name, string Version)
{
    public Dictionary<string, string> Dependencies { get; init; } = [];

    public Dictionary<string, string> PeerDependencies { get; init; } = [];

    public Dictionary<string, string> OptionalDependencies { get; init; } = [];

    public string? Deprecated { get; init; }

    /// <summary>Publish only the sha1 <c>shasum</c>, as old packuments do, without <c>integrity</c>.</summary>
    public bool ShasumOnly { get; init; }

    /// <summary>The <c>shasum</c> the packument publishes (hex); the tarball's own sha1 when null.</summary>
    public string? Shasum { get; init; }

    public byte[] Tarball()
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["name"] = Name, ["version"] = Version, ["dependencies"] = Dependencies });
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "package/package.json")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)),
                ModificationTime = new DateTimeOffset(1985, 10, 26, 8, 15, 0, TimeSpan.Zero),
            });
        }

        return buffer.ToArray();
    }
}

/// <summary>
/// An npm registry on a <see cref="LoopbackServer"/>: packuments at <c>/NAME</c> (scoped: <c>/@scope%2fname</c>) with
/// dist-tags and dist (tarball URL, sha512 integrity unless the package is <see cref="NpmTestPackage.ShasumOnly"/>, sha1), and the tarballs at <c>/NAME/-/FILE.tgz</c>.
/// </summary>
public sealed class NpmTestRegistry
{
    private readonly List<NpmTestPackage> _packages = [];
    private readonly Dictionary<string, Dictionary<string, string>> _tags = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public NpmTestRegistry Add(NpmTestPackage package)
    {
        lock (_lock)
        {
            _packages.Add(package);
        }

        return this;
    }

    public NpmTestRegistry Add(string name, string version, params (string Name, string Range)[] dependencies) =>
        Add(new NpmTestPackage(name, version) { Dependencies = dependencies.ToDictionary(d => d.Name, d => d.Range) });

    /// <summary>Sets a dist-tag; without a <c>latest</c> tag, <c>latest</c> is the highest stable version added.</summary>
    public NpmTestRegistry Tag(string name, string tag, string version)
    {
        lock (_lock)
        {
            (_tags.TryGetValue(name, out var tags) ? tags : _tags[name] = [])[tag] = version;
        }

        return this;
    }

    public Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync(app => app.Run(HandleAsync));

    private async Task HandleAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "/").TrimStart('/');
        var root = $"{context.Request.Scheme}://{context.Request.Host}/";
        NpmTestPackage[] packages;
        Dictionary<string, string> tags;
        lock (_lock)
        {
            packages = [.. _packages];
            var name = path.Split("/-/")[0];
            tags = new Dictionary<string, string>(_tags.GetValueOrDefault(name) ?? [], StringComparer.Ordinal);
        }

        var tarball = path.Split("/-/");
        if (tarball.Length == 2)
        {
            var package = packages.FirstOrDefault(p => p.Name == tarball[0] && FileName(p) == tarball[1]);
            if (package is null)
            {
                context.Response.StatusCode = 404;
                return;
            }

            await context.Response.Body.WriteAsync(package.Tarball(), context.RequestAborted);
            return;
        }

        var versions = packages.Where(p => p.Name == path).ToList();
        if (versions.Count == 0)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("{\"error\":\"Not found\"}", context.RequestAborted);
            return;
        }

        if (!tags.ContainsKey("latest"))
        {
            tags["latest"] = versions.Select(v => NuGet.Versioning.NuGetVersion.Parse(v.Version)).Where(v => !v.IsPrerelease).DefaultIfEmpty().Max()?.ToFullString()
                ?? versions[^1].Version;
        }

        var document = new Dictionary<string, object>
        {
            ["name"] = path,
            ["dist-tags"] = tags,
            ["versions"] = versions.ToDictionary(v => v.Version, v =>
            {
                var bytes = v.Tarball();
                var manifest = new Dictionary<string, object?>
                {
                    ["name"] = v.Name,
                    ["version"] = v.Version,
                    ["dependencies"] = v.Dependencies,
                    ["dist"] = Dist(v, bytes, $"{root}{v.Name}/-/{FileName(v)}"),
                };
                if (v.PeerDependencies.Count > 0)
                {
                    manifest["peerDependencies"] = v.PeerDependencies;
                }

                if (v.OptionalDependencies.Count > 0)
                {
                    manifest["optionalDependencies"] = v.OptionalDependencies;
                }

                if (v.Deprecated is not null)
                {
                    manifest["deprecated"] = v.Deprecated;
                }

                return manifest;
            }),
        };
        context.Response.ContentType = "application/vnd.npm.install-v1+json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(document), context.RequestAborted);
    }

    private static Dictionary<string, string> Dist(NpmTestPackage package, byte[] tarball, string url)
    {
        var dist = new Dictionary<string, string>
        {
            ["tarball"] = url,
#pragma warning disable CA5350 // npm registries publish the tarball's sha1 as "shasum" beside the sha512 integrity.
            ["shasum"] = package.Shasum ?? Convert.ToHexStringLower(SHA1.HashData(tarball)),
#pragma warning restore CA5350
        };
        if (!package.ShasumOnly)
        {
            dist["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        }

        return dist;
    }

    private static string FileName(NpmTestPackage package) => $"{package.Name.Split('/')[^1]}-{package.Version}.tgz";
}
