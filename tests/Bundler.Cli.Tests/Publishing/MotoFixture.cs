using System.Security.Cryptography;
using Bundler.Publishing.S3;
using Bundler.Testing.ObjectStores;

namespace Bundler.Cli.Tests.Publishing;

/// <summary>
/// One moto_server for the S3 tests, and the environment the tool reads as a pipeline sets it: the endpoint, a region
/// and random credentials (so that a test can search every output for the secret). Restored when the tests end.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private static readonly string[] Variables = [S3ClientFactory.EndpointVariable, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"];

    private readonly Dictionary<string, string?> _saved = [];

    public MotoServer Server { get; private set; } = null!;

    public string SecretAccessKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));

    public async Task InitializeAsync()
    {
        if (MotoServer.SkipReason is not null)
        {
            return;
        }

        Server = await MotoServer.StartAsync();
        foreach (var variable in Variables)
        {
            _saved[variable] = Environment.GetEnvironmentVariable(variable);
        }

        Environment.SetEnvironmentVariable(S3ClientFactory.EndpointVariable, Server.Endpoint.AbsoluteUri);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretAccessKey);
        Environment.SetEnvironmentVariable("AWS_REGION", "us-east-1");
    }

    public async Task DisposeAsync()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>The tests that share <see cref="MotoFixture"/>'s server and environment, one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SharedMotoServer : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
