namespace Bundler.Core.Download;

/// <summary>A verified archive in the cache.</summary>
/// <param name="Request">The request this answers.</param>
/// <param name="Path">The archive's path in the content-addressed cache; read it, do not move or change it.</param>
/// <param name="Size">The archive's size in bytes.</param>
/// <param name="Integrity">The archive's hash as a subresource-integrity string (the expected algorithm, else sha512).</param>
/// <param name="BytesTransferred">Body bytes received over the network for it in this run (0 when it came from the cache).</param>
/// <param name="Requests">HTTP requests sent for it in this run (0 when it came from the cache).</param>
/// <param name="FromCache">Whether the cache already held it.</param>
public sealed record DownloadResult(DownloadRequest Request, string Path, long Size, string Integrity, long BytesTransferred, int Requests, bool FromCache);
