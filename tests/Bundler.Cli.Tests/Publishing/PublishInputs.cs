using Bundler.Testing;

namespace Bundler.Cli.Tests.Publishing;

/// <summary>The folder of archives the object-store tests publish (<c>in/</c>), and the change of one package.</summary>
internal static class PublishInputs
{
    public static TempDirectory Create()
    {
        var temp = new TempDirectory();
        Directory.CreateDirectory(temp["in"]);
        TestArchives.Zip(temp["in/Some.Package.1.2.3.nupkg"], ArchiveContent.Sample("Some.Package"));
        TestArchives.TarGz(temp["in/is-number.7.0.0.tgz"], ArchiveContent.Sample("is-number", 2));
        TestArchives.Zip(temp["in/other.1.0.0.zip"], ArchiveContent.Sample("other", 3));
        return temp;
    }

    /// <summary>Replaces is-number 7.0.0 by 7.0.1, leaving the other packages as they were.</summary>
    public static void ChangeOnePackage(TempDirectory temp)
    {
        File.Delete(temp["in/is-number.7.0.0.tgz"]);
        TestArchives.TarGz(temp["in/is-number.7.0.1.tgz"], ArchiveContent.Sample("is-number", 5));
    }

    /// <summary>Adds a package larger than <paramref name="threshold"/> plus 3 MiB of incompressible bytes; returns them.</summary>
    public static byte[] AddLargePackage(TempDirectory temp, long threshold)
    {
        var blob = new byte[(int)threshold + (3 * 1024 * 1024)];
        new Random(7).NextBytes(blob);
        TestArchives.Zip(temp["in/Large.Package.1.0.0.nupkg"], new ArchiveContent().Add("data/blob.bin", blob));
        return blob;
    }
}
