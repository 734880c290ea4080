using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using NuGet.Frameworks;
using NuGet.Versioning;
using Bundler.Core.Download;
using Bundler.Core.Sources.Npm;
using Bundler.Loader;
using Bundler.Loader.IO;
using Bundler.Loader.Http;

namespace Bundler.Core.PackageSets;

/// <summary>
/// Reads bundle.json into a <see cref="PackageSet"/>. Every error names the file, line and column and says what to
/// write instead; relative paths in the file are relative to the file's folder.
/// </summary>
internal static class PackageSetParser
{
    public static async Task<PackageSet> LoadAsync(string path, CancellationToken cancellationToken)
    {
        path = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            RegularFile.LengthOrNull(path, "The package set");
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            throw new BundleException($"The package set '{path}' does not exist; create it (see docs/bundle-json.md) or name another file.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new BundleException($"The package set '{path}' does not exist; create it (see docs/bundle-json.md) or name another file.");
        }

        return Parse(bytes, path);
    }

    public static PackageSet Parse(byte[] json, string path)
    {
        PackageSetDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, PackageSetJsonContext.Default.PackageSetDocument);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            var message = ex.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
            var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "" : $" (at {ex.Path})";
            throw new BundleException(string.Create(CultureInfo.InvariantCulture, $"{path}:{line}:{column}: {message}{at}"), ex);
        }

        var positions = JsonPositions.Index(json);
        var errors = new Errors(path, positions);
        if (document is null)
        {
            throw errors.At("", "the file holds null; it must be an object with \"sources\" and \"packages\".");
        }

        var directory = Path.GetDirectoryName(path)!;
        var sources = new Dictionary<string, SourceSpec>(StringComparer.Ordinal);
        foreach (var (name, source) in document.Sources)
        {
            sources.Add(name, ParseSource(name, source, directory, errors));
        }

        if (document.Packages.Count == 0 && !sources.Values.Any(s => s.Kind == SourceKind.Project))
        {
            throw errors.At("packages", "\"packages\" is empty; list at least one package (only a project source may have none: it then takes every package restore gives).");
        }

        var packages = new List<PackageRequest>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < document.Packages.Count; i++)
        {
            var request = ParsePackage(document.Packages[i], $"packages[{i}]", sources, errors);
            if (!seen.Add((request.Source, request.Id.ToUpperInvariant())))
            {
                throw errors.At($"packages[{i}].id", $"package '{request.Id}' from source '{request.Source}' is listed twice; keep one entry.");
            }

            packages.Add(request);
        }

        return new PackageSet
        {
            FilePath = path,
            ContentHash = "sha256-" + Convert.ToBase64String(SHA256.HashData(json)),
            Sources = sources,
            Packages = packages,
        };
    }

    private static SourceSpec ParseSource(string name, SourceDocument source, string directory, Errors errors)
    {
        var at = "sources." + name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw errors.At(at, "a source has an empty name; name it.");
        }

        var kind = SourceKindNames.Parse(source.Type)
            ?? throw errors.At(at + ".type", $"source '{name}' has type '{source.Type}'; use one of nuget, npm, pyodide-lock, urls, folder, project.");

        var allowed = kind switch
        {
            SourceKind.NuGet => new[] { "url", "config", "targetFramework", "transitive", "keepArchive" },
            SourceKind.Npm => ["url", "transitive", "keepArchive"],
            SourceKind.PyodideLock => ["lock", "baseUrl", "transitive", "keepArchive"],
            SourceKind.Urls => ["keepArchive"],
            SourceKind.Project => ["path"],
            _ => ["path", "keepArchive"],
        };
        foreach (var (member, present) in new (string, bool)[]
        {
            ("url", source.Url is not null), ("config", source.Config is not null), ("path", source.Path is not null),
            ("lock", source.Lock is not null), ("baseUrl", source.BaseUrl is not null),
            ("targetFramework", source.TargetFramework is not null), ("transitive", source.Transitive is not null),
            ("keepArchive", source.KeepArchive is not null),
        })
        {
            if (present && !allowed.Contains(member))
            {
                throw errors.At($"{at}.{member}", $"source '{name}' of type '{source.Type}' does not take \"{member}\"; it takes {string.Join(", ", allowed)}.");
            }
        }

        var spec = new SourceSpec
        {
            Name = name,
            Kind = kind,
            Transitive = source.Transitive ?? kind == SourceKind.PyodideLock,
            KeepArchive = source.KeepArchive ?? kind == SourceKind.PyodideLock,
        };
        switch (kind)
        {
            case SourceKind.NuGet:
                if ((source.Url is null) == (source.Config is null))
                {
                    throw errors.At(at, $"nuget source '{name}' needs exactly one of \"url\" (a v3 service index, e.g. https://api.nuget.org/v3/index.json) or \"config\" (a nuget.config path).");
                }

                NuGetFramework? framework = null;
                if (source.TargetFramework is not null)
                {
                    framework = NuGetFramework.Parse(source.TargetFramework);
                    if (framework.IsUnsupported || framework.IsAny || framework.IsAgnostic)
                    {
                        throw errors.At(at + ".targetFramework", $"source '{name}': '{source.TargetFramework}' is not a target framework; write one like net8.0 or netstandard2.0.");
                    }
                }
                else if (spec.Transitive)
                {
                    throw errors.At(at + ".transitive", $"nuget source '{name}' resolves dependencies only for a target framework; add \"targetFramework\" (e.g. \"net8.0\").");
                }

                return spec with
                {
                    Url = source.Url is null ? null : HttpUrl(source.Url, at + ".url", errors),
                    ConfigPath = source.Config is null ? null : Path.GetFullPath(source.Config, directory),
                    TargetFramework = framework,
                };
            case SourceKind.Npm:
                return spec with { Url = HttpUrl(source.Url ?? throw errors.At(at, $"npm source '{name}' needs \"url\", the registry (e.g. https://registry.npmjs.org/)."), at + ".url", errors) };
            case SourceKind.PyodideLock:
                var lockLocation = source.Lock ?? throw errors.At(at, $"pyodide-lock source '{name}' needs \"lock\", the path or URL of a pyodide-lock.json.");
                var lockIsUrl = HttpUrls.TryParse(lockLocation, out _);
                Uri baseUrl;
                if (source.BaseUrl is not null)
                {
                    baseUrl = HttpUrl(source.BaseUrl, at + ".baseUrl", errors);
                }
                else if (lockIsUrl)
                {
                    baseUrl = new Uri(HttpUrl(lockLocation, at + ".lock", errors), ".");
                }
                else
                {
                    throw errors.At(at, $"pyodide-lock source '{name}' reads a local lock file, so it needs \"baseUrl\", where the wheels are served.");
                }

                return spec with
                {
                    LockLocation = lockIsUrl ? HttpUrl(lockLocation, at + ".lock", errors).AbsoluteUri : Path.GetFullPath(lockLocation, directory),
                    BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"),
                };
            case SourceKind.Folder:
                return spec with { FolderPath = Path.GetFullPath(source.Path ?? throw errors.At(at, $"folder source '{name}' needs \"path\", the folder of archives."), directory) };
            case SourceKind.Project:
                return spec with { ProjectPath = Path.GetFullPath(source.Path ?? throw errors.At(at, $"project source '{name}' needs \"path\", a .csproj, .sln, .slnx or the folder that holds one."), directory) };
            default:
                return spec;
        }
    }

    private static PackageRequest ParsePackage(PackageDocument package, string at, Dictionary<string, SourceSpec> sources, Errors errors)
    {
        if (!sources.TryGetValue(package.Source, out var source))
        {
            throw errors.At(at + ".source", $"package '{package.Id}' names source '{package.Source}', which \"sources\" does not define; define it or use one of: {string.Join(", ", sources.Keys)}.");
        }

        if (string.IsNullOrWhiteSpace(package.Id))
        {
            throw errors.At(at + ".id", "a package has an empty id.");
        }

        if (source.Kind != SourceKind.Urls && (package.Url is not null || package.Integrity is not null || package.Size is not null))
        {
            var member = package.Url is not null ? "url" : package.Integrity is not null ? "integrity" : "size";
            throw errors.At($"{at}.{member}", $"package '{package.Id}': \"{member}\" is for packages of a urls source; source '{source.Name}' finds it.");
        }

        if (source.Kind == SourceKind.Project && package.Version is not null)
        {
            throw errors.At(at + ".version", $"package '{package.Id}' of project source '{source.Name}' takes its version from restore; leave \"version\" out (set it in the project).");
        }

        IReadOnlyList<VersionRange> ranges;
        if (source.Kind == SourceKind.Npm)
        {
            ranges = package.Version is null || NpmRange.IsTag(package.Version)
                ? [VersionRange.All]
                : NpmRange.TryParse(package.Version)?.Select(s => s.Range).ToList()
                    ?? throw errors.At(at + ".version", $"package '{package.Id}': '{package.Version}' is not an npm version range (e.g. 1.2.3, ^1.2.0, ~1.2, 1.x, >=1 <3, 1 - 2, ^1 || ^2) or dist-tag.");
        }
        else if (package.Version is null)
        {
            if (source.Kind == SourceKind.Urls)
            {
                throw errors.At(at, $"package '{package.Id}' of urls source '{source.Name}' needs \"version\", its exact version.");
            }

            ranges = [VersionRange.Parse("*")];
        }
        else if (!VersionRange.TryParse(package.Version, allowFloating: true, out var range))
        {
            throw errors.At(at + ".version", $"package '{package.Id}': '{package.Version}' is not a NuGet version or range (e.g. 1.2.3, [1.2.3], [1.0,2.0), 1.*).");
        }
        else
        {
            if (source.Kind == SourceKind.Urls && !NuGetVersion.TryParse(package.Version, out _))
            {
                throw errors.At(at + ".version", $"package '{package.Id}' of urls source '{source.Name}' needs an exact version, not the range '{package.Version}'.");
            }

            ranges = [range];
        }

        Uri? url = null;
        if (source.Kind == SourceKind.Urls)
        {
            url = HttpUrl(package.Url ?? throw errors.At(at, $"package '{package.Id}' of urls source '{source.Name}' needs \"url\", where its archive is."), at + ".url", errors);
            if (package.Integrity is not null && !ContentHash.TryParse(package.Integrity, out _))
            {
                throw errors.At(at + ".integrity", $"package '{package.Id}': integrity '{package.Integrity}' is not {ContentHash.Expected}.");
            }

            if (package.Size is < 0)
            {
                throw errors.At(at + ".size", $"package '{package.Id}': size {package.Size} is negative.");
            }
        }

        var (line, column) = errors.Positions.Find(at);
        return new PackageRequest
        {
            Source = source.Name,
            Id = package.Id,
            Version = package.Version,
            Ranges = ranges,
            Url = url,
            Integrity = package.Integrity,
            Size = package.Size,
            KeepArchive = package.KeepArchive,
            Include = package.Include ?? [],
            Exclude = package.Exclude ?? [],
            Location = string.Create(CultureInfo.InvariantCulture, $"{errors.File}:{line}:{column}"),
        };
    }

    private static Uri HttpUrl(string text, string at, Errors errors)
    {
        if (!HttpUrls.TryParse(text, out var uri))
        {
            throw errors.At(at, $"'{text}' is not an absolute http:// or https:// URL.");
        }

        // A URL is written to bundle.lock.json, the bundle's manifest and progress lines, so it must carry no secret.
        if (uri.UserInfo.Length > 0)
        {
            var redacted = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
            throw errors.At(at, $"the URL '{redacted}' carries a user name or password (left out here); URLs are written to bundle.lock.json and the bundle's manifest, so they must not carry credentials. Give a nuget source its credentials in a nuget.config instead.");
        }

        return uri;
    }

    private sealed record Errors(string File, JsonPositions Positions)
    {
        public BundleException At(string path, string message)
        {
            var (line, column) = Positions.Find(path);
            return new BundleException(string.Create(CultureInfo.InvariantCulture, $"{File}:{line}:{column}: {message}"));
        }
    }
}
