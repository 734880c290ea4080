using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bundler.Loader;

namespace Bundler.Cli.Options;

/// <summary><c>--trust-cert FILE</c>: the one server certificate (PEM or DER) trusted beside the machine's roots.</summary>
internal static class TrustCertOption
{
    public static Option<FileInfo?> Create() => new("--trust-cert")
    {
        Description = "Trust this one HTTPS server certificate (PEM or DER), such as the file 'serve --tls' writes, beside the machine's roots. Only that exact certificate is accepted.",
    };

    /// <summary>The certificate in <paramref name="file"/>, or null when none was named; an unreadable file fails naming it.</summary>
    public static X509Certificate2? Load(FileInfo? file)
    {
        if (file is null)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw new BundleException($"The certificate file '{file.FullName}' does not exist; pass the PEM file 'serve --tls' printed, or the server's certificate.");
        }

        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file.FullName);
        }
        catch (CryptographicException ex)
        {
            throw new BundleException($"'{file.FullName}' is not a certificate ({ex.Message.TrimEnd('.')}); pass a PEM (-----BEGIN CERTIFICATE-----) or DER certificate file.", ex);
        }
    }
}
