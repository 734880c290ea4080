using System.Net.Http.Headers;

namespace Bundler.Loader.Http;

/// <summary>What a resume's If-Range carries, so that a changed file is sent whole instead of spliced.</summary>
internal static class IfRangeValidator
{
    /// <summary>A strong ETag, else Last-Modified; null when the response has neither (it cannot be resumed safely).</summary>
    public static RangeConditionHeaderValue? Of(HttpResponseMessage response)
    {
        if (response.Headers.ETag is { IsWeak: false } etag)
        {
            return new RangeConditionHeaderValue(etag);
        }

        return response.Content.Headers.LastModified is { } lastModified ? new RangeConditionHeaderValue(lastModified) : null;
    }
}
