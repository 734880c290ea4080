using Bundler.Loader.Loading;
using Bundler.Testing;

namespace Bundler.Loader.Tests.Loading;

/// <summary>A load options value out of range throws ArgumentOutOfRangeException naming it, before anything is fetched or written.</summary>
public sealed class PackageLoadOptionsRangeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, PackageLoadOptions> OutOfRange => new()
    {
        { nameof(PackageLoadOptions.MaxConcurrentRequests), new PackageLoadOptions { MaxConcurrentRequests = 0 } },
        { nameof(PackageLoadOptions.MaxRangeRequestSize), new PackageLoadOptions { MaxRangeRequestSize = -1 } },
        { nameof(PackageLoadOptions.StallTimeout), new PackageLoadOptions { StallTimeout = TimeSpan.Zero } },
        { nameof(PackageLoadOptions.StallTimeout), new PackageLoadOptions { StallTimeout = TimeSpan.FromSeconds(-1) } },
        { nameof(PackageLoadOptions.Mode), new PackageLoadOptions { Mode = (LoadMode)42 } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task LoadAsync_OptionOutOfRange_ThrowsNamingItAndWritesNothing(string property, PackageLoadOptions options)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PackageLoader.LoadAsync("http://127.0.0.1:9/", _temp["tree"], options));

        Assert.Equal(property, error.ParamName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Path));
    }
}
