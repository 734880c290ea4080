using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Loader.Unpacking;
using Bundler.Testing;
using Bundler.Testing.Hostile;
using Bundler.Testing.IO;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Unpacking;

/// <summary>
/// Tar headers mutated with other writers' entry types and field values (<see cref="TarHeaderMutator"/>): in a source
/// archive through pack, and in a bundle's tar stream through unpack and loads in bundle and ranges mode. Each must
/// give the right result or a <see cref="BundleException"/>, leaving the previous output or target as it was and
/// nothing beside it; never another exception. BUNDLER_FUZZ_ITERATIONS runs longer (and BUNDLER_FUZZ_SEED another sequence).
/// </summary>
public sealed class TarHeaderFuzzTests : IDisposable
{
    private const string Id = "fz";
    private const string Version = "1.0.0";
    private const string Folder = Id + "/" + Version + "/";

    private static readonly int Iterations = int.Parse(Environment.GetEnvironmentVariable("BUNDLER_FUZZ_ITERATIONS") ?? "60", CultureInfo.InvariantCulture);
    private static readonly int Seed = int.Parse(Environment.GetEnvironmentVariable("BUNDLER_FUZZ_SEED") ?? "20261203", CultureInfo.InvariantCulture);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task UnpackAndLoad_BundleWithMutatedTarHeader_GivesTheTreeOrIsRefusedCleanly()
    {
        var (tar, files) = PackageTar(Folder);
        var offsets = TarHeaderMutator.HeaderOffsets(tar);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Iterations; i++)
        {
            var (mutated, mutation) = TarHeaderMutator.Mutate(tar, offsets, new Random(HashCode.Combine(Seed, i)));
            var bundle = _temp["evil.tar.zst"];
            BundleForger.WriteRaw(bundle, Id, Version, mutated, files);
            foreach (var how in new[] { "unpack", nameof(LoadMode.Bundle), nameof(LoadMode.Ranges) })
            {
                var outcome = await ReadAsync(bundle, how, $"iteration {i} (seed {Seed}), {how}: {mutation}");
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }

        Assert.True(outcomes.GetValueOrDefault("refused") > Iterations, string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    [Fact]
    public async Task Pack_ArchiveWithMutatedTarHeader_PacksOrIsRefusedCleanly()
    {
        var (tar, _) = PackageTar("");
        var offsets = TarHeaderMutator.HeaderOffsets(tar);
        Directory.CreateDirectory(_temp["in"]);
        Directory.CreateDirectory(_temp["out"]);
        var output = _temp["out/bundle.tar.zst"];
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Iterations; i++)
        {
            var (mutated, mutation) = TarHeaderMutator.Mutate(tar, offsets, new Random(HashCode.Combine(Seed, i)));
            var archive = _temp["in/fz.1.0.0.tar"];
            await File.WriteAllBytesAsync(archive, [.. mutated, .. RawTar.Trailer()]);
            await File.WriteAllTextAsync(output, "previous output");
            var what = $"iteration {i} (seed {Seed}): {mutation}";
            try
            {
                await BundleWriter.WriteAsync([new PackageInput { Id = Id, Version = Version, ArchivePath = archive }], output).WaitAsync(TimeSpan.FromSeconds(60));
                outcomes["packed"] = outcomes.GetValueOrDefault("packed") + 1;
            }
            catch (BundleException ex)
            {
                Assert.True(ex.Message.Contains(archive, StringComparison.Ordinal), $"{what}: the archive is not named in: {ex.Message}");
                Assert.Equal("previous output", await File.ReadAllTextAsync(output));
                outcomes["refused"] = outcomes.GetValueOrDefault("refused") + 1;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{what}: {ex.GetType().Name} instead of a clear refusal: {ex}");
            }

            Assert.Equal(["bundle.tar.zst"], TreeAssert.Listing(_temp["out"]));
        }

        Assert.True(outcomes.GetValueOrDefault("refused") > Iterations / 3, string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    private async Task<string> ReadAsync(string bundle, string how, string what)
    {
        var area = _temp["area"];
        var target = Path.Combine(area, "target");
        Directory.CreateDirectory(Path.Combine(target, "mine"));
        await File.WriteAllTextAsync(Path.Combine(target, "mine/keep.txt"), "mine");
        try
        {
            if (how == "unpack")
            {
                await using var stream = new ForwardOnlyStream(File.OpenRead(bundle), 4096);
                await BundleReader.UnpackAsync(stream, target).WaitAsync(TimeSpan.FromSeconds(60));
            }
            else
            {
                await PackageLoader.LoadAsync(bundle, target, new PackageLoadOptions { Mode = Enum.Parse<LoadMode>(how) }).WaitAsync(TimeSpan.FromSeconds(60));
            }

            Assert.True(
                TreeAssert.Snapshot(target).Keys.SequenceEqual([Folder + "a.txt", Folder + "b/" + LongName, Folder + "c.bin", "mine/keep.txt"]),
                $"{what}: loaded a different tree");
            return "loaded";
        }
        catch (BundleException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
            Assert.True(TreeAssert.Snapshot(target).Keys.SequenceEqual(["mine/keep.txt"]), $"{what}: refused ({ex.Message}) but changed the target");
            return "refused";
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{what}: {ex.GetType().Name} instead of a clear refusal: {ex}");
            throw;
        }
        finally
        {
            LoadAssert.NothingBesideTarget(target);
            Directory.Delete(area, recursive: true);
        }
    }

    private static string LongName => new string('n', 120) + ".txt";

    /// <summary>A pax tar (one name needs a pax header) of three files under <paramref name="folder"/>, without its trailer, and the manifest's entries for them.</summary>
    private static (byte[] Tar, List<FileEntry> Files) PackageTar(string folder)
    {
        (string Path, byte[] Bytes)[] content = [("a.txt", "alpha"u8.ToArray()), ("b/" + LongName, "long"u8.ToArray()), ("c.bin", new byte[1500])];
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (folder.Length > 0)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, folder) { Mode = (UnixFileMode)493 });
            }

            foreach (var (path, bytes) in content)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, folder + path) { Mode = (UnixFileMode)420, DataStream = new MemoryStream(bytes) });
            }
        }

        var tar = buffer.ToArray()[..^(2 * RawTar.BlockSize)];
        var files = new List<FileEntry>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType == TarEntryType.RegularFile)
            {
                var bytes = content.Single(c => folder + c.Path == entry.Name).Bytes;
                files.Add(new FileEntry { Path = entry.Name[folder.Length..], Size = bytes.Length, Mode = 420, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Offset = entry.DataOffset });
            }
        }

        return (tar, files);
    }
}
