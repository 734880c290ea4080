using Amazon.Runtime;
using Amazon.S3;

namespace Bundler.Publishing.S3;

/// <summary>
/// The one S3 client of a publish, configured as the AWS tools are: credentials and region from the SDK's standard
/// chain (environment, shared profile, container or instance role), and for S3-compatible stores the endpoint from
/// <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>, addressed path-style (<c>ENDPOINT/BUCKET/KEY</c>).
/// </summary>
internal static class S3ClientFactory
{
    public const string EndpointVariable = "AWS_ENDPOINT_URL_S3";
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    /// <summary>Region used to sign for an S3-compatible endpoint when the chain gives none.</summary>
    private const string DefaultCompatibleRegion = "us-east-1";

    /// <summary>A client for <paramref name="endpoint"/>, or for the endpoint the environment names, or for AWS.</summary>
    public static IAmazonS3 Create(Uri? endpoint = null)
    {
        endpoint ??= EndpointFromEnvironment();
        var config = new AmazonS3Config
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 4,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? DefaultCompatibleRegion;
        }

        try
        {
            return new AmazonS3Client(config);
        }
        catch (AmazonClientException ex)
        {
            throw new Loader.BundleException($"Cannot reach S3: {ex.Message.TrimEnd('.')}. Set AWS_REGION (or a profile's region), or ${EndpointVariable} for an S3-compatible store.", ex);
        }
    }

    private static Uri? EndpointFromEnvironment()
    {
        foreach (var variable in new[] { EndpointVariable, GlobalEndpointVariable })
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.UserInfo.Length > 0)
            {
                throw new Loader.BundleException($"${variable} is not an http(s) URL of an S3 endpoint without credentials in it (http://HOST:PORT, say).");
            }

            return url;
        }

        return null;
    }
}
