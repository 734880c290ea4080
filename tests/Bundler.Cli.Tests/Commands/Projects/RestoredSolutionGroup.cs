namespace Bundler.Cli.Tests.Commands.Projects;

/// <summary>The tests that share <see cref="RestoredSolutionFixture"/>; they run one after another, as they restore the same solution.</summary>
[CollectionDefinition(Name)]
public sealed class RestoredSolutionGroup : ICollectionFixture<RestoredSolutionFixture>
{
    public const string Name = "restored solution";
}
