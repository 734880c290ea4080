using System.Globalization;
using Microsoft.Build.Framework;
using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Writing;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Bundler.Build.Items;

/// <summary>
/// One package the items resolved to: what the bundle writer takes (<see cref="Input"/>) and what the lock file
/// records (<see cref="Resolved"/>). Between the two tasks it travels as one <c>ResolvedPackages</c> item. A package
/// of a remote source names the package set it was resolved in (<see cref="PackageSet"/>): its archive is downloaded
/// from there as the bundle is written, and <see cref="PackageInput.ArchivePath"/> is empty until then.
/// </summary>
internal sealed record ResolvedItem(PackageInput Input, ResolvedPackage Resolved, string? PackageSet = null)
{
    public TaskItem ToTaskItem()
    {
        var item = new TaskItem(Input.Id);
        item.SetMetadata("Version", Input.Version);
        item.SetMetadata("ArchivePath", Input.ArchivePath);
        item.SetMetadata("Source", Input.Source);
        item.SetMetadata("Include", string.Join(';', Input.Include));
        item.SetMetadata("Exclude", string.Join(';', Input.Exclude));
        item.SetMetadata("KeepArchive", Input.KeepArchive ? "true" : "false");
        item.SetMetadata("NuGetLayout", Input.NuGetLayout ? "true" : "false");
        item.SetMetadata("Url", Input.Url ?? "");
        item.SetMetadata("SourceName", Resolved.Source);
        item.SetMetadata("SourceType", SourceKindNames.Name(Resolved.SourceKind));
        item.SetMetadata("ArchiveUrl", Resolved.ArchiveUrl.AbsoluteUri);
        item.SetMetadata("Size", Resolved.Size?.ToString(CultureInfo.InvariantCulture) ?? "");
        item.SetMetadata("Integrity", Resolved.Integrity ?? "");
        item.SetMetadata("Direct", Resolved.Direct ? "true" : "false");
        item.SetMetadata("PackageSet", PackageSet ?? "");
        return item;
    }

    public static PackageInput InputOf(ITaskItem item) => new()
    {
        Id = item.ItemSpec,
        Version = item.GetMetadata("Version"),
        ArchivePath = item.GetMetadata("ArchivePath"),
        Source = item.GetMetadata("Source"),
        KeepArchive = ItemMetadata.IsTrue(item, "KeepArchive"),
        NuGetLayout = ItemMetadata.IsTrue(item, "NuGetLayout"),
        Url = item.GetMetadata("Url") is { Length: > 0 } url ? url : null,
        Include = ItemMetadata.Globs(item, "Include"),
        Exclude = ItemMetadata.Globs(item, "Exclude"),
    };

    /// <summary>The package set a remote package was resolved in; null for a folder package.</summary>
    public static string? PackageSetOf(ITaskItem item) => item.GetMetadata("PackageSet") is { Length: > 0 } path ? path : null;

    /// <summary>The package as the lock file records it; an item made by hand, without that metadata, is a folder archive.</summary>
    public static ResolvedPackage ResolvedOf(ITaskItem item) => new()
    {
        Source = item.GetMetadata("SourceName") is { Length: > 0 } name ? name : item.GetMetadata("Source"),
        SourceKind = SourceKindNames.Parse(item.GetMetadata("SourceType")) ?? SourceKind.Folder,
        Id = item.ItemSpec,
        Version = item.GetMetadata("Version"),
        ArchiveUrl = item.GetMetadata("ArchiveUrl") is { Length: > 0 } url ? new Uri(url) : new Uri(Path.GetFullPath(item.GetMetadata("ArchivePath"))),
        Size = long.TryParse(item.GetMetadata("Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null,
        Integrity = item.GetMetadata("Integrity") is { Length: > 0 } integrity ? integrity : null,
        Direct = ItemMetadata.IsTrue(item, "Direct"),
        KeepArchive = ItemMetadata.IsTrue(item, "KeepArchive"),
        Include = ItemMetadata.Globs(item, "Include"),
        Exclude = ItemMetadata.Globs(item, "Exclude"),
    };
}
