using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Bundler.Publishing.Azure;
using Bundler.Testing.ObjectStores;

namespace Bundler.Cli.Tests.Publishing;

/// <summary>
/// One Azurite for the Azure Blob tests, and <c>AZURE_STORAGE_CONNECTION_STRING</c> naming its account (with a random
/// key, so that a test can search every output for it) as a pipeline sets it. Restored when the tests end.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private string? _saved;
    private int _containers;

    public AzuriteServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (AzuriteServer.SkipReason is not null)
        {
            return;
        }

        Server = await AzuriteServer.StartAsync();
        _saved = Environment.GetEnvironmentVariable(AzureContainerFactory.ConnectionStringVariable);
        Environment.SetEnvironmentVariable(AzureContainerFactory.ConnectionStringVariable, Server.ConnectionString());
    }

    /// <summary>Creates a container whose blobs anyone may read, as one behind a CDN, and returns its name.</summary>
    public async Task<string> CreatePublicContainerAsync()
    {
        var name = $"bundles-{Interlocked.Increment(ref _containers)}-{Guid.NewGuid():N}"[..36];
        await new BlobContainerClient(Server.ConnectionString(), name).CreateAsync(PublicAccessType.Blob);
        return name;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(AzureContainerFactory.ConnectionStringVariable, _saved);
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>The tests that share <see cref="AzuriteFixture"/>'s server and environment, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAzurite : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
