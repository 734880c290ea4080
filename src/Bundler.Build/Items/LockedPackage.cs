using Bundler.Core.Download;
using Bundler.Core.Resolution.Locking;

namespace Bundler.Build.Items;

/// <summary>One package of a <see cref="BundleLockFile"/>.</summary>
internal sealed record LockedPackage(string Id, string Version, string Source, string Archive, string Integrity);
