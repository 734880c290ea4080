using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bundler.Core.IO;
using Bundler.Loader;
using Bundler.Loader.Http;

namespace Bundler.Core.Sources;

/// <summary>
/// Metadata requests of one source: adds the source's credentials where they belong, tries network failures,
/// timeouts, 408, 429 and 5xx again (<see cref="RetryPolicy"/>), treats 404 as "not there", and turns every other
/// failure (unreachable, 401/403, other statuses, malformed or oversized JSON) into an error naming the source and URL.
/// </summary>
internal sealed class SourceHttp(HttpClient client, string sourceName, SourceCredential? credential = null)
{
    /// <summary>The largest metadata document read (npm packuments of popular packages reach tens of MiB).</summary>
    public const long MaxDocumentBytes = 256L << 20;

    /// <summary>A request is tried four times at most, the waits growing from about 250 ms; a Retry-After up to 30 s is honoured.</summary>
    public static HttpRetryPolicy RetryPolicy { get; } = new() { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(250), MaxRetryDelay = TimeSpan.FromSeconds(30) };

    public string SourceName => sourceName;

    /// <summary>The document at <paramref name="url"/>, or null when the server says 404.</summary>
    public async Task<T?> GetJsonAsync<T>(Uri url, JsonTypeInfo<T> type, CancellationToken cancellationToken, string accept = "application/json")
        where T : class
    {
        using var response = await SendAsync(url, accept, cancellationToken);
        if (response is null)
        {
            return null;
        }

        try
        {
            await using var body = await OpenBodyAsync(response, url, cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken)
                ?? throw new BundleException($"Source '{sourceName}': {url} returned null instead of a JSON document.");
        }
        catch (JsonException ex)
        {
            throw new BundleException($"Source '{sourceName}': {url} returned malformed JSON ({ex.Message}); check that the URL is a feed of the source's type.", ex);
        }
    }

    /// <summary>The body at <paramref name="url"/> as a stream limited to <see cref="MaxDocumentBytes"/>, or null on 404.</summary>
    public async Task<Stream?> GetStreamAsync(Uri url, CancellationToken cancellationToken)
    {
        var response = await SendAsync(url, "*/*", cancellationToken);
        if (response is null)
        {
            return null;
        }

        return new ResponseStream(response, await OpenBodyAsync(response, url, cancellationToken));
    }

    private async Task<HttpResponseMessage?> SendAsync(Uri url, string accept, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await RetryPolicy.SendAsync(client, NewRequest, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new BundleException($"Source '{sourceName}' is unreachable at {url}: {ex.Message}. Check the URL and the network.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BundleException($"Source '{sourceName}' did not answer in time at {url}.", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        response.Dispose();
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => null,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => throw new BundleException(
                $"Source '{sourceName}' refused access to {url} ({(int)response.StatusCode} {response.ReasonPhrase}); "
                + (credential is null ? "it needs credentials: add them to the nuget.config's packageSourceCredentials." : "check the credentials configured for it.")),
            _ => throw new BundleException($"Source '{sourceName}' answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}."),
        };

        HttpRequestMessage NewRequest()
        {
            var request = client.NewRequest(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd(accept);
            credential?.Apply(request);
            return request;
        }
    }

    private async Task<Stream> OpenBodyAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxDocumentBytes)
        {
            throw new BundleException($"Source '{sourceName}': {url} is {response.Content.Headers.ContentLength} bytes, more than the {MaxDocumentBytes} a metadata document may be.");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new SizeLimitedStream(body, MaxDocumentBytes, () => new BundleException($"Source '{sourceName}': {url} is longer than the {MaxDocumentBytes} bytes a metadata document may be."));
    }

    /// <summary>A body stream that also disposes its response.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : SizeLimitedStream(inner, long.MaxValue, () => new BundleException("unreachable"))
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                response.Dispose();
            }
        }
    }
}
