using Azure.Identity;
using Azure.Storage.Blobs;
using Bundler.Loader;

namespace Bundler.Publishing.Azure;

/// <summary>
/// The one container client of a publish: for an account URL, authenticated by the standard Azure credential chain
/// (environment, workload or managed identity, Azure CLI); for <c>az://</c>, by <c>AZURE_STORAGE_CONNECTION_STRING</c>
/// (an account key, a SAS, or an emulator's endpoints). Retries are the SDK's (exponential, with backoff).
/// </summary>
internal static class AzureContainerFactory
{
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    public static BlobContainerClient Create(AzureBlobLocation location, string? connectionString = null)
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 4;
        if (location.AccountUrl is { } account)
        {
            return new BlobContainerClient(new Uri(account, location.Container), new DefaultAzureCredential(), options);
        }

        connectionString ??= Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new BundleException($"{location}: az:// publishes to the account of ${ConnectionStringVariable}, which is not set. Set it, or give https://ACCOUNT{AzureBlobLocation.HostSuffix}/{location.Container}/{location.Prefix} to sign in with the Azure credential chain.");
        }

        try
        {
            return new BlobContainerClient(connectionString, location.Container, options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // The SDK's message quotes the connection string: say only which variable is wrong.
            throw new BundleException($"{location}: ${ConnectionStringVariable} is not an Azure Storage connection string (AccountName=…;AccountKey=…, a SAS, or UseDevelopmentStorage=true).");
        }
    }
}
