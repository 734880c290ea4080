namespace Bundler.Loader.Loading;

/// <summary>What <see cref="PackagesFolderLoader"/> did: the <c>id/version</c> folders it added and those already there; no load when nothing was missing.</summary>
internal sealed record PackagesFolderLoad(string PackagesFolder, IReadOnlyList<string> Added, IReadOnlyList<string> Kept, LoadReport? Load);
