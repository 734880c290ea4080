using Bundler.Core.Download;

namespace Bundler.Testing.Download;

/// <summary>Calls back on the reporting thread itself (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
internal sealed class InlineProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
{
    public void Report(DownloadProgress value) => report(value);
}

/// <summary>The same for any progress type.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
