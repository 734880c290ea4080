using Bundler.Core.PackageSets;
using Bundler.Core.Resolution;
using Bundler.Core.Resolution.Locking;

namespace Bundler.Core.Tests.Resolution;

/// <summary>
/// bundle.lock.json entries of a project source: the archive's place inside the packages folder, never the machine's
/// path, so a lock written on one machine compares equal on another and <c>--locked</c> sees only what restore chose.
/// </summary>
public sealed class ProjectLockEntryTests
{
    private const string LockPath = "/repo/bundle.lock.json";

    private static ResolvedPackage Restored(string packagesFolder, string version) => new()
    {
        Source = "app",
        SourceKind = SourceKind.Project,
        Id = "Deep",
        Version = version,
        ArchiveUrl = new Uri($"{packagesFolder}/deep/{version}/deep.{version}.nupkg"),
        Size = 10,
        Integrity = "sha512-" + version,
    };

    [Fact]
    public void From_ProjectPackagesOnTwoMachines_WriteTheSameBytesWithoutThePackagesFolder()
    {
        var here = LockFile.Serialize(LockFile.From(new ResolvedSet([Restored("/home/me/.nuget/packages", "1.3.0")]), "sha256-x", LockPath));
        var there = LockFile.Serialize(LockFile.From(new ResolvedSet([Restored("/agent/_work/packages", "1.3.0")]), "sha256-x", LockPath));

        Assert.Equal(here, there);
        var text = System.Text.Encoding.UTF8.GetString(here);
        Assert.Contains("\"url\": \"deep/1.3.0/deep.1.3.0.nupkg\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/home/me", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ProjectPackageFromAnotherPackagesFolder_IsNoChangeButAnotherVersionIs()
    {
        var locked = LockFile.ToSet(LockFile.From(new ResolvedSet([Restored("/home/me/.nuget/packages", "1.3.0")]), "sha256-x", LockPath), LockPath);

        var moved = LockFile.Describe(locked, new ResolvedSet([Restored("/agent/_work/packages", "1.3.0")]));
        var changed = LockFile.Describe(locked, new ResolvedSet([Restored("/agent/_work/packages", "1.4.0")]));

        Assert.Equal("", moved);
        Assert.Equal("\n  - app: Deep 1.3.0\n  + app: Deep 1.4.0", changed);
    }
}
