namespace Bundler.Core.Download;

/// <summary>One archive to download.</summary>
/// <param name="Url">Where the archive is served (http or https).</param>
/// <param name="Integrity">
/// The expected hash as a subresource-integrity string (<c>sha512-…</c>, <c>sha384-…</c>, <c>sha256-…</c> or <c>sha1-…</c>) when the
/// source publishes one; the download is verified against it and cached under it. Without it the content is cached by
/// its sha512 and found again by URL.
/// </param>
/// <param name="Size">The expected size in bytes when known; used for ordering, progress and verification.</param>
public sealed record DownloadRequest(Uri Url, string? Integrity = null, long? Size = null);
