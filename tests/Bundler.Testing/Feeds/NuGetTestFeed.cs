using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Bundler.Testing.Http;

namespace Bundler.Testing.Feeds;

/// <summary>
/// A NuGet v3 feed on a <see cref="LoopbackServer"/>: service index, flat container (versions, .nupkg, .nuspec) and,
/// unless turned off, registration (inlined pages, or pages fetched by URL). Packages may be added while it runs.
/// </summary>
public sealed class NuGetTestFeed
{
    private readonly List<NuGetTestPackage> _packages = [];
    private readonly Lock _lock = new();

    /// <summary>Serve registration resources; without them clients must read dependencies from .nuspec files.</summary>
    public bool Registration { get; init; } = true;

    /// <summary>Put registration leaves in separate page documents instead of inlining them in the index.</summary>
    public bool PagedRegistration { get; init; }

    /// <summary>Serve .nuspec files beside the .nupkg files (some mirrors serve only the .nupkg).</summary>
    public bool Nuspecs { get; init; } = true;

    /// <summary>Publish each package's sha512 and size in its registration leaf.</summary>
    public bool PublishHashes { get; init; }

    /// <summary>Answer 401 to requests without this <c>user:password</c> in basic authentication.</summary>
    public string? RequiredCredentials { get; init; }

    /// <summary>The flat container's address if not this server's (a feed that points clients at another host).</summary>
    public Uri? FlatContainer { get; set; }

    /// <summary>Answer every flat-container request (after the credentials check) with a redirect to the same path on this server.</summary>
    public Uri? RedirectFlatContainerTo { get; init; }

    /// <summary>Paths (e.g. <c>/v3/flat/a/index.json</c>) answered with a body that is not JSON.</summary>
    public HashSet<string> MalformedPaths { get; } = [];

    public NuGetTestFeed Add(string id, string version, params TestDependency[] dependencies)
    {
        lock (_lock)
        {
            _packages.Add(new NuGetTestPackage(id, version, dependencies));
        }

        return this;
    }

    public static Uri ServiceIndex(LoopbackServer server) => server.Url("v3/index.json");

    /// <param name="before">Middleware placed in front of the feed (to make it fail, say).</param>
    public Task<LoopbackServer> StartAsync(Action<WebApplication>? before = null) => LoopbackServer.StartAsync(app =>
    {
        before?.Invoke(app);
        app.Run(HandleAsync);
    });

    private async Task HandleAsync(HttpContext context)
    {
        if (RequiredCredentials is not null
            && context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(RequiredCredentials)))
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"feed\"";
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        if (RedirectFlatContainerTo is not null && path.StartsWith("/v3/flat/", StringComparison.Ordinal))
        {
            context.Response.Redirect(new Uri(RedirectFlatContainerTo, path.TrimStart('/')).AbsoluteUri);
            return;
        }

        if (MalformedPaths.Contains(path))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"versions\": [\"1.0.0\",", context.RequestAborted);
            return;
        }

        var root = $"{context.Request.Scheme}://{context.Request.Host}/v3/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        NuGetTestPackage[] packages;
        lock (_lock)
        {
            packages = [.. _packages];
        }

        switch (segments)
        {
            case ["v3", "index.json"]:
                var resources = new List<object> { new Dictionary<string, string> { ["@id"] = FlatContainer?.AbsoluteUri ?? root + "flat/", ["@type"] = "PackageBaseAddress/3.0.0" } };
                if (Registration)
                {
                    resources.Add(new Dictionary<string, string> { ["@id"] = root + "reg/", ["@type"] = "RegistrationsBaseUrl/3.6.0" });
                }

                await WriteJsonAsync(context, new Dictionary<string, object> { ["version"] = "3.0.0", ["resources"] = resources });
                return;
            case ["v3", "flat", var id, "index.json"]:
                var versions = packages.Where(p => p.LowerId == id).Select(p => p.LowerVersion).ToList();
                await (versions.Count == 0 ? NotFound(context) : WriteJsonAsync(context, new Dictionary<string, object> { ["versions"] = versions }));
                return;
            case ["v3", "flat", var id, var version, var file]:
                var package = packages.FirstOrDefault(p => p.LowerId == id && p.LowerVersion == version);
                if (package is null)
                {
                    await NotFound(context);
                }
                else if (file == $"{id}.{version}.nupkg")
                {
                    await context.Response.Body.WriteAsync(package.Nupkg(), context.RequestAborted);
                }
                else if (file == $"{id}.nuspec" && Nuspecs)
                {
                    context.Response.ContentType = "application/xml";
                    await context.Response.WriteAsync(package.Nuspec(), context.RequestAborted);
                }
                else
                {
                    await NotFound(context);
                }

                return;
            case ["v3", "reg", var id, "index.json"] when Registration:
                var leaves = packages.Where(p => p.LowerId == id).Select(p => Leaf(p, root)).ToList();
                if (leaves.Count == 0)
                {
                    await NotFound(context);
                    return;
                }

                var page = new Dictionary<string, object?>
                {
                    ["@id"] = $"{root}reg/{id}/page.json",
                    ["count"] = leaves.Count,
                    ["lower"] = packages.Where(p => p.LowerId == id).Select(p => NuGet.Versioning.NuGetVersion.Parse(p.Version)).Min()!.ToNormalizedString(),
                    ["upper"] = packages.Where(p => p.LowerId == id).Select(p => NuGet.Versioning.NuGetVersion.Parse(p.Version)).Max()!.ToNormalizedString(),
                };
                if (!PagedRegistration)
                {
                    page["items"] = leaves;
                }

                await WriteJsonAsync(context, new Dictionary<string, object> { ["count"] = 1, ["items"] = new[] { page } });
                return;
            case ["v3", "reg", var id, "page.json"] when Registration:
                await WriteJsonAsync(context, new Dictionary<string, object> { ["items"] = packages.Where(p => p.LowerId == id).Select(p => Leaf(p, root)).ToList() });
                return;
            default:
                await NotFound(context);
                return;
        }
    }

    private Dictionary<string, object?> Leaf(NuGetTestPackage package, string root)
    {
        var entry = new Dictionary<string, object?>
        {
            ["id"] = package.Id,
            ["version"] = package.Version,
            ["dependencyGroups"] = package.Groups.Select(g => new Dictionary<string, object?>
            {
                ["targetFramework"] = g.Key,
                ["dependencies"] = g.Select(d => new Dictionary<string, string> { ["id"] = d.Id, ["range"] = d.Range }).ToList(),
            }).ToList(),
        };
        if (PublishHashes)
        {
            var nupkg = package.Nupkg();
            entry["packageHash"] = Convert.ToBase64String(SHA512.HashData(nupkg));
            entry["packageHashAlgorithm"] = "SHA512";
            entry["packageSize"] = nupkg.Length;
        }

        return new Dictionary<string, object?>
        {
            ["catalogEntry"] = entry,
            ["packageContent"] = $"{root}flat/{package.LowerId}/{package.LowerVersion}/{package.LowerId}.{package.LowerVersion}.nupkg",
        };
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private static Task WriteJsonAsync(HttpContext context, object document)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(document), context.RequestAborted);
    }
}
