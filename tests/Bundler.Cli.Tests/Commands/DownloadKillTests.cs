using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Bundler.Core.Download;
using Bundler.Serving;
using Bundler.Serving.Faults;
using Bundler.Testing;
using Bundler.Testing.Download;
using Bundler.Testing.Http;

namespace Bundler.Cli.Tests.Commands;

/// <summary>
/// A download killed half-way (SIGKILL: no cleanup of any kind runs) leaves its part file and record in the cache;
/// the next run asks only for the bytes the record lacks and leaves nothing in the cache's temporary folder.
/// </summary>
public sealed class DownloadKillTests : IDisposable
{
    private const int Size = 3_000_000;
    private readonly TempDirectory _temp = new();
    private readonly byte[] _file = new byte[Size];
    private volatile bool _stalling = true;

    public DownloadKillTests() => new Random(5).NextBytes(_file);

    // 1: one plain GET, resumed from where it stopped; 3: three ranges of 1 MB, each resumed from its own position.
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Download_KilledMidTransfer_NextRunFetchesOnlyTheMissingBytes(int segments)
    {
        Directory.CreateDirectory(_temp["site"]);
        await File.WriteAllBytesAsync(_temp["site/a.bin"], _file);
        // While stalling, every response sends 300 KB of its body and then nothing until the client is gone.
        var stall = new FaultPlan(new Fault(FaultKind.StallBody, Times: int.MaxValue) { AtByte = 300_000 });
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.UseWhen(_ => _stalling, branch => branch.UseFaults(stall));
            app.UseStaticFolder(_temp["site"]);
        });
        var url = server.Url("a.bin");
        await File.WriteAllTextAsync(_temp["urls.txt"], $"{url} {DownloadSite.Sri(_file)} {Size}\n");
        string[] args = ["download", "--urls", _temp["urls.txt"], "--cache", _temp["cache"], "-o", _temp["out"],
            "--segments", segments.ToString(System.Globalization.CultureInfo.InvariantCulture), "--segment-threshold", "1M",
            "--stall-timeout", "120", "--progress", "none"];

        using (var child = CliRun.Start(args))
        {
            var written = await WaitForRecordAsync(url, minimum: segments * 128 * 1024);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            Assert.True(written > 0);
        }

        var temporary = Path.Combine(_temp["cache"], "tmp");
        var record = PartRecord.TryParse(await File.ReadAllTextAsync(Directory.GetFiles(temporary, "*.resume").Single()), url)!;
        var missing = record.Missing().Sum(m => m.End - m.Start);
        await Task.Delay(500); // the killed client's stalled responses end on the server
        server.ClearLog();
        _stalling = false;

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Equal(_file, await File.ReadAllBytesAsync(_temp["out/a.bin"]));
        var requests = server.Requests.Where(r => r.Path == "/a.bin").ToList();
        Assert.All(requests, r => Assert.NotNull(r.Range));
        Assert.Equal(missing, requests.Sum(r => r.ResponseBytes));
        Assert.True(missing < Size - 100_000, $"{missing} of {Size} bytes were fetched again");
        Assert.Empty(Directory.GetFiles(temporary));
    }

    [Fact]
    public async Task Download_LeftoversOfDeadRuns_AreRemovedByTheNextRun()
    {
        var temporary = Directory.CreateDirectory(Path.Combine(_temp["cache"], "tmp")).FullName;
        string[] leftovers = [Path.Combine(temporary, "0123abcd.part"), Path.Combine(temporary, "4567cdef.resume"), Path.Combine(temporary, "89ab.resume.new")];
        var fresh = Path.Combine(temporary, "fedc.part");
        foreach (var file in leftovers.Append(fresh))
        {
            await File.WriteAllBytesAsync(file, new byte[1000]);
        }

        foreach (var file in leftovers)
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - ContentCache.LeftoverGrace - TimeSpan.FromMinutes(1));
        }

        using var held = new FileStream(Path.Combine(temporary, "aaaa.part"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        File.SetLastWriteTimeUtc(held.Name, DateTime.UtcNow - TimeSpan.FromHours(1));

        new ContentCache(_temp["cache"]).RemoveLeftovers();

        Assert.Equal([held.Name, fresh], Directory.GetFiles(temporary).Order(StringComparer.Ordinal));
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Waits until the running download's record vouches for at least <paramref name="minimum"/> bytes, and no more arrive.</summary>
    private async Task<long> WaitForRecordAsync(Uri url, long minimum)
    {
        var temporary = Path.Combine(_temp["cache"], "tmp");
        var deadline = Stopwatch.StartNew();
        long last = -1;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(1500);
            var path = Directory.Exists(temporary) ? Directory.GetFiles(temporary, "*.resume").SingleOrDefault() : null;
            var record = path is null ? null : PartRecord.TryParse(await File.ReadAllTextAsync(path), url);
            var written = record?.Written.Sum(w => w.End - w.Start) ?? 0;
            if (written >= minimum && written == last)
            {
                return written;
            }

            last = written;
        }

        throw new TimeoutException($"The download's record never reached {minimum} bytes (last {last}).");
    }
}
