using Bundler.Core.Download;

namespace Bundler.Core.Tests.Download;

/// <summary>A download options value out of range throws ArgumentOutOfRangeException naming it when the engine is made.</summary>
public sealed class DownloadOptionsTests
{
    public static TheoryData<string, DownloadOptions> OutOfRange => new()
    {
        { nameof(DownloadOptions.Concurrency), new DownloadOptions { Concurrency = 0 } },
        { nameof(DownloadOptions.MaxPerHost), new DownloadOptions { MaxPerHost = 0 } },
        { nameof(DownloadOptions.Segments), new DownloadOptions { Segments = 0 } },
        { nameof(DownloadOptions.SegmentThreshold), new DownloadOptions { SegmentThreshold = 0 } },
        { nameof(DownloadOptions.MaxRetries), new DownloadOptions { MaxRetries = -1 } },
        { nameof(DownloadOptions.StallTimeout), new DownloadOptions { StallTimeout = TimeSpan.Zero } },
        { nameof(DownloadOptions.RetryDelay), new DownloadOptions { RetryDelay = TimeSpan.FromSeconds(-1) } },
        { nameof(DownloadOptions.MaxRetryDelay), new DownloadOptions { RetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromSeconds(1) } },
        { nameof(DownloadOptions.ProgressInterval), new DownloadOptions { ProgressInterval = TimeSpan.Zero } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void DownloadEngine_OptionOutOfRange_ThrowsNamingIt(string property, DownloadOptions options)
    {
        using var client = new HttpClient();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DownloadEngine(client, options));

        Assert.Equal(property, error.ParamName);
    }
}
