using System.Security.Cryptography;
using Bundler.Core.Publishing;
using Bundler.Core.Writing;

namespace Bundler.Testing.Loading;

/// <summary>
/// Publish folders for pinned and signed loads, written by the real writer: today's set signed by key A, an older
/// set (one package fewer) signed by A, today's set signed by key B only, and another package set signed by A.
/// </summary>
public sealed class SignedPublishes : IDisposable
{
    private int _copies;

    private SignedPublishes(TempDirectory temp) => Temp = temp;

    public TempDirectory Temp { get; }

    /// <summary>PEM private key files and PEM public key texts of keys A and B.</summary>
    public string KeyAFile { get; private set; } = "";

    public string KeyBFile { get; private set; } = "";

    public string PublicKeyA { get; private set; } = "";

    public string PublicKeyB { get; private set; } = "";

    public PublishResult Current { get; private set; } = null!;

    public PublishResult Older { get; private set; } = null!;

    public PublishResult CurrentSignedByB { get; private set; } = null!;

    public PublishResult Other { get; private set; } = null!;

    public Dictionary<string, byte[]> CurrentTree { get; private set; } = null!;

    public static async Task<SignedPublishes> CreateAsync()
    {
        var published = new SignedPublishes(new TempDirectory());
        await published.WriteAsync();
        return published;
    }

    /// <summary>A fresh copy of a publish folder, to serve or to tamper with.</summary>
    public string Copy(PublishResult publish)
    {
        var copy = Temp["copy-" + Interlocked.Increment(ref _copies)];
        foreach (var file in Directory.EnumerateFiles(publish.Location, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(copy, Path.GetRelativePath(publish.Location, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return copy;
    }

    /// <summary>A fresh target path, not yet made, inside a parent of its own.</summary>
    public string NewTarget(string name) => Path.Combine(Temp.Path, "out-" + name + "-" + Interlocked.Increment(ref _copies), "target");

    /// <summary>A fresh target holding <c>mine/keep.txt</c>, as <see cref="LoadAssert.Untouched"/> expects it.</summary>
    public string ExistingTarget(string name)
    {
        var target = NewTarget(name);
        Directory.CreateDirectory(Path.Combine(target, "mine"));
        File.WriteAllText(Path.Combine(target, "mine", "keep.txt"), "mine");
        return target;
    }

    public void Dispose() => Temp.Dispose();

    private async Task WriteAsync()
    {
        (KeyAFile, PublicKeyA) = WriteKey("a");
        (KeyBFile, PublicKeyB) = WriteKey("b");
        var archives = Directory.CreateDirectory(Temp["archives"]).FullName;
        var packages = SamplePackages.WriteAllKinds(archives);
        CurrentTree = SamplePackages.ExpectedTree(packages);
        var signedByA = new BundleWriterOptions { SigningKeyFiles = [KeyAFile] };
        Current = await LegacyPublishFolder.WriteAsync(packages.Select(p => p.Input), Temp["current"], signedByA);
        Older = await LegacyPublishFolder.WriteAsync(packages.Skip(1).Select(p => p.Input), Temp["older"], signedByA);
        CurrentSignedByB = await LegacyPublishFolder.WriteAsync(packages.Select(p => p.Input), Temp["current-b"], new BundleWriterOptions { SigningKeyFiles = [KeyBFile] });

        var otherArchives = Directory.CreateDirectory(Temp["other-archives"]).FullName;
        var other = new ArchiveContent();
        other.Add("lib/other.txt", "another package set"u8.ToArray());
        var otherInput = new PackageInput { Id = "Other.Package", Version = "9.9.9", ArchivePath = TestArchives.Zip(Path.Combine(otherArchives, "Other.Package.9.9.9.zip"), other) };
        Other = await LegacyPublishFolder.WriteAsync([otherInput], Temp["other"], signedByA);
    }

    private (string PrivateKeyFile, string PublicKeyPem) WriteKey(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = Temp[name + ".pem"];
        File.WriteAllText(file, key.ExportPkcs8PrivateKeyPem());
        return (file, key.ExportSubjectPublicKeyInfoPem());
    }
}
