using System.Security.Cryptography.X509Certificates;
using Bundler.Core.IO;

namespace Bundler.Cli.Output;

/// <summary>
/// The served certificate as a PEM file a client can be handed: where the user asked (kept), or a temporary file that
/// is removed when the server stops.
/// </summary>
internal sealed class ServedCertificateFile : IDisposable
{
    private readonly bool _temporary;

    private ServedCertificateFile(string path, bool temporary)
    {
        Path = path;
        _temporary = temporary;
    }

    public string Path { get; }

    public static ServedCertificateFile Write(X509Certificate2 certificate, string? destination)
    {
        var path = destination ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bundler-serve-{Guid.NewGuid():N}.pem");
        using var file = new AtomicFile(path);
        file.Stream.Write(System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n"));
        file.Commit();
        return new ServedCertificateFile(path, temporary: destination is null);
    }

    public void Dispose()
    {
        if (_temporary)
        {
            File.Delete(Path);
        }
    }
}
