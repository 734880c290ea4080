using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bundler.Loader;

namespace Bundler.Serving.Tls;

/// <summary>The certificate the server presents over TLS: a self-signed one made at start, or one loaded from PEM files.</summary>
internal static class ServerCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>How long a made certificate is valid; browsers refuse leaf certificates valid for much longer.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// A new ECDSA P-256 certificate for localhost, 127.0.0.1 and ::1 (and <paramref name="address"/> when it names one
    /// other address), trusted by no one until a client is told to trust it.
    /// </summary>
    public static X509Certificate2 CreateDevelopment(IPAddress? address = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Bundler development server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (address is not null && !IPAddress.IsLoopback(address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddMinutes(-5), now + Lifetime);
        // An ephemeral key cannot serve TLS on every platform; a PKCS#12 round trip gives it a usable one.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The base64 SHA-256 of the certificate's public key, as Chromium's --ignore-certificate-errors-spki-list takes it.</summary>
    public static string SpkiSha256(X509Certificate2 certificate) =>
        Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>Loads a PEM certificate and its unencrypted PEM private key; a file that is missing or wrong fails naming it.</summary>
    public static X509Certificate2 LoadPem(string certificatePath, string keyPath)
    {
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw new BundleException($"'{Path.GetFullPath(path)}' does not exist; pass a PEM certificate with --cert and its PEM private key with --key.");
            }
        }

        try
        {
            using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            // A key that is not the certificate's own comes as an ArgumentException.
            throw new BundleException(
                $"Could not use the certificate '{Path.GetFullPath(certificatePath)}' with the key '{Path.GetFullPath(keyPath)}': {ex.Message}. "
                + "Pass a PEM certificate (-----BEGIN CERTIFICATE-----) and its own unencrypted PEM private key.", ex);
        }
    }
}
