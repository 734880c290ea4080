using Bundler.Loader.Format;

namespace Bundler.Loader.Loading.Updates;

/// <summary>What a load does to its target: the packages it selected, which of them it fetches and which it keeps, and the folders it removes.</summary>
/// <param name="Selected">The manifest's packages the load selected, in manifest order: what the target holds afterwards.</param>
/// <param name="Fetch">The selected packages to fetch and write, in manifest order.</param>
/// <param name="Kept">The selected packages already in the target as the record says, kept as they are.</param>
/// <param name="Removed">Package folders of the record that the load takes out of the target.</param>
internal sealed record UpdatePlan(
    IReadOnlyList<PackageEntry> Selected,
    IReadOnlyList<PackageEntry> Fetch,
    IReadOnlyList<PackageEntry> Kept,
    IReadOnlyList<string> Removed);
