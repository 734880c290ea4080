using Bundler.Testing.Feeds;

namespace Bundler.Cli.Tests.Commands.Projects;

/// <summary>
/// One <see cref="RestoreTestSolution"/> for the tests that need real restores, which are slow: made once, with a
/// fresh <c>dotnet restore --packages</c> of it from the feed (<see cref="FreshPackages"/>) and one
/// <c>pack --project</c> of it into a publish folder (<see cref="Site"/>).
/// </summary>
public sealed class RestoredSolutionFixture : IAsyncLifetime
{
    public RestoreTestSolution Solution { get; private set; } = null!;

    /// <summary>What a fresh restore of the solution from the feed put in an empty packages folder.</summary>
    public string FreshPackages => Solution["fresh-packages"];

    /// <summary>The publish folder <c>pack --project app.slnx --publish</c> wrote.</summary>
    public string Site => Solution["site"];

    public string PackOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Solution = await RestoreTestSolution.CreateAsync();
        var fresh = Solution.Restore("--packages", FreshPackages);
        Assert.True(fresh.ExitCode == 0, fresh.Output);
        var pack = await CliRun.RunAsync(["pack", "--project", Solution.Solution, "--publish", Site, "--progress", "none"]);
        Assert.True(pack.ExitCode == 0, pack.Error);
        PackOutput = pack.Output;
    }

    public async Task DisposeAsync() => await Solution.DisposeAsync();
}
