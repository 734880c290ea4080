namespace Bundler.Build.Tests;

/// <summary>The scenarios share one packed feed and run one at a time: each runs real builds on a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeed : ICollectionFixture<PackagesFixture>
{
    public const string Name = "Packed Bundler.Build and Bundler.Cli";
}
