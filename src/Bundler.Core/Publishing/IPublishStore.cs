namespace Bundler.Core.Publishing;

/// <summary>
/// Where <see cref="Publisher"/> puts a publish: a local folder (<see cref="FolderPublishStore"/>) or an object store.
/// Names are relative to the publish location, with <c>/</c> between segments (<c>Bundler.Loader.Format.PublishLayout</c>).
/// Every method may be called concurrently, except <see cref="PrepareAsync"/> and <see cref="FinishAsync"/>.
/// </summary>
public interface IPublishStore : IDisposable
{
    /// <summary>The URL or path of <paramref name="name"/> (or of the location, for ""), for messages. Never holds a credential.</summary>
    string Describe(string name);

    /// <summary>Checks that the location may be published to, before anything is written.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>True when the immutable object <paramref name="name"/> is already there with <paramref name="size"/> bytes, found without reading it.</summary>
    Task<bool> HasAsync(string name, long size, CancellationToken cancellationToken);

    /// <summary>Stores the file <paramref name="path"/> as <paramref name="name"/> with <paramref name="cacheControl"/>; the name shows nothing until the whole object is there.</summary>
    Task PutFileAsync(string name, string path, string cacheControl, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="content"/> as <paramref name="name"/>, replacing what was there as one step.</summary>
    Task PutBytesAsync(string name, byte[] content, string cacheControl, CancellationToken cancellationToken);

    /// <summary>The bytes of <paramref name="name"/> (at most <paramref name="maxSize"/>), or null when it is not there.</summary>
    Task<byte[]?> ReadAsync(string name, int maxSize, CancellationToken cancellationToken);

    /// <summary>Called once the new entry point is in place; a folder removes objects neither it nor the previous one names.</summary>
    Task FinishAsync(IReadOnlySet<string> current, IReadOnlySet<string> previous, CancellationToken cancellationToken);
}
