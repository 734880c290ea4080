using System.Globalization;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.IO;

namespace Bundler.Loader.Tests.Unpacking;

/// <summary>
/// Random mutations of a valid bundle: every one must unpack to the right tree or be refused with a
/// <see cref="BundleException"/>, the target untouched and nothing beside it; never another exception, never a hang.
/// BUNDLER_FUZZ_ITERATIONS runs longer (and BUNDLER_FUZZ_SEED another sequence).
/// </summary>
public sealed class BundleFuzzTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Unpack_MutatedBundle_GivesTheTreeOrIsRefusedCleanly()
    {
        var iterations = int.Parse(Environment.GetEnvironmentVariable("BUNDLER_FUZZ_ITERATIONS") ?? "150", CultureInfo.InvariantCulture);
        var seed = int.Parse(Environment.GetEnvironmentVariable("BUNDLER_FUZZ_SEED") ?? "20261125", CultureInfo.InvariantCulture);
        var original = await File.ReadAllBytesAsync(await WriteBundleAsync());
        await using (var stream = new MemoryStream(original))
        {
            await BundleReader.UnpackAsync(stream, _temp["expected"]);
        }

        var expected = TreeAssert.Snapshot(_temp["expected"]);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < iterations; i++)
        {
            var random = new Random(HashCode.Combine(seed, i));
            var (mutated, mutation) = Mutate(original, random);
            var outcome = await UnpackAsync(mutated, expected, $"iteration {i} (seed {seed}): {mutation}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // The mutations must mostly hit something the reader checks; a run where everything "passed" tested nothing.
        Assert.True(outcomes.GetValueOrDefault("refused") > iterations / 2, string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    private async Task<string> UnpackAsync(byte[] bundle, SortedDictionary<string, string> expected, string what)
    {
        var area = _temp["area"];
        var target = Path.Combine(area, "target");
        Directory.CreateDirectory(Path.Combine(target, "existing/1.0.0"));
        await File.WriteAllTextAsync(Path.Combine(target, "existing/1.0.0/keep.txt"), "keep");
        var before = TreeAssert.Snapshot(target);
        try
        {
            await using var stream = new ForwardOnlyStream(new MemoryStream(bundle), 8192);
            await BundleReader.UnpackAsync(stream, target).WaitAsync(TimeSpan.FromSeconds(60));
            var loaded = TreeAssert.Snapshot(target);
            loaded.Remove("existing/1.0.0/keep.txt");
            Assert.True(expected.SequenceEqual(loaded), $"{what}: unpacked a different tree");
            return "unpacked";
        }
        catch (BundleException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
            Assert.True(before.SequenceEqual(TreeAssert.Snapshot(target)), $"{what}: refused ({ex.Message}) but changed the target");
            return "refused";
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{what}: {ex.GetType().Name} instead of a clear refusal: {ex}");
            throw;
        }
        finally
        {
            Assert.Equal(["target"], TreeAssert.Listing(area));
            Directory.Delete(area, recursive: true);
        }
    }

    private static (byte[] Bundle, string Mutation) Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var at = random.Next(bytes.Count);
        var length = 1 + random.Next(Math.Min(64, bytes.Count - at));
        switch (random.Next(7))
        {
            case 0:
                var bits = 1 + random.Next(8);
                for (var b = 0; b < bits; b++)
                {
                    var position = random.Next(bytes.Count);
                    bytes[position] ^= (byte)(1 << random.Next(8));
                }

                return ([.. bytes], $"{bits} bit flips");
            case 1:
                for (var p = at; p < at + length; p++)
                {
                    bytes[p] = (byte)random.Next(256);
                }

                return ([.. bytes], $"{length} random bytes at {at}");
            case 2:
                return ([.. bytes.Take(at)], $"truncated to {at} bytes");
            case 3:
                var inserted = new byte[length];
                random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                return ([.. bytes], $"{length} bytes inserted at {at}");
            case 4:
                bytes.RemoveRange(at, length);
                return ([.. bytes], $"{length} bytes removed at {at}");
            case 5:
                var copy = bytes.GetRange(at, length);
                bytes.InsertRange(Math.Min(bytes.Count, at + length), copy);
                return ([.. bytes], $"{length} bytes at {at} repeated");
            default:
                // Small integers in the manifest and headers are sizes, offsets and counts: nudge one.
                bytes[at] = (byte)(bytes[at] + (random.Next(2) == 0 ? 1 : -1));
                return ([.. bytes], $"byte at {at} off by one");
        }
    }

    private async Task<string> WriteBundleAsync()
    {
        Directory.CreateDirectory(_temp["in"]);
        var zip = TestArchives.Zip(_temp["in/zip.pkg.1.0.0.zip"], ArchiveContent.Sample("zip.pkg", 3));
        var tgz = TestArchives.TarGz(_temp["in/tgz-pkg.2.0.0.tgz"], ArchiveContent.Sample("tgz-pkg", 2));
        var whole = TestArchives.Zip(_temp["in/wheel.3.0.0.whl"], ArchiveContent.Sample("wheel", 1));
        var bundle = _temp["bundle.tar.zst"];
        await BundleWriter.WriteAsync(
            [
                new PackageInput { Id = "zip.pkg", Version = "1.0.0", ArchivePath = zip },
                new PackageInput { Id = "tgz-pkg", Version = "2.0.0", ArchivePath = tgz },
                new PackageInput { Id = "wheel", Version = "3.0.0", ArchivePath = whole, KeepArchive = true },
            ],
            bundle,
            new BundleWriterOptions { MaxFrameSize = BundleFormat.MinFrameContentSize });
        return bundle;
    }
}
