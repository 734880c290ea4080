using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bundler.Loader;
using Bundler.Loader.Http;
using Bundler.Serving.Tls;
using Bundler.Testing;

namespace Bundler.Serving.Tests.Tls;

/// <summary>The certificate the HTTPS server presents: made at start for the loopback names, or loaded from PEM files.</summary>
public sealed class ServerCertificateTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CreateDevelopment_NamesLocalhostAndLoopbackForServerAuthentication()
    {
        using var certificate = ServerCertificate.CreateDevelopment(IPAddress.Parse("192.0.2.7"));

        var names = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.7")], names.EnumerateIPAddresses());
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.True(certificate.HasPrivateKey);
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(1), TimeSpan.FromDays(30));
    }

    [Fact]
    public void CreateDevelopment_TwoStarts_MakeDifferentKeys()
    {
        using var first = ServerCertificate.CreateDevelopment();
        using var second = ServerCertificate.CreateDevelopment();

        Assert.NotEqual(ServerCertificate.SpkiSha256(first), ServerCertificate.SpkiSha256(second));
    }

    [Fact]
    public async Task LoadPem_CertificateAndKeyFiles_ServeHttps()
    {
        using var made = ServerCertificate.CreateDevelopment();
        await File.WriteAllTextAsync(_temp["cert.pem"], made.ExportCertificatePem());
        await File.WriteAllTextAsync(_temp["key.pem"], made.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        Directory.CreateDirectory(_temp["site"]);
        await File.WriteAllTextAsync(_temp["site/a.txt"], "a");

        using var loaded = ServerCertificate.LoadPem(_temp["cert.pem"], _temp["key.pem"]);
        await using var server = await StaticFileServer.StartAsync(_temp["site"], new StaticFileServerOptions { Certificate = loaded }, null, CancellationToken.None);
        using var client = new HttpClientSettings { TrustedCertificate = made }.CreateClient();

        Assert.Equal("a", await client.GetStringAsync(new Uri(server.HttpsUrl!, "a.txt")));
    }

    [Fact]
    public async Task LoadPem_KeyOfAnotherCertificate_FailsNamingBothFiles()
    {
        using var made = ServerCertificate.CreateDevelopment();
        using var other = ServerCertificate.CreateDevelopment();
        await File.WriteAllTextAsync(_temp["cert.pem"], made.ExportCertificatePem());
        await File.WriteAllTextAsync(_temp["key.pem"], other.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<BundleException>(() => ServerCertificate.LoadPem(_temp["cert.pem"], _temp["key.pem"]));

        Assert.Contains(_temp["cert.pem"], error.Message, StringComparison.Ordinal);
        Assert.Contains(_temp["key.pem"], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPem_MissingKey_FailsNamingIt()
    {
        using var made = ServerCertificate.CreateDevelopment();
        File.WriteAllText(_temp["cert.pem"], made.ExportCertificatePem());

        var error = Assert.Throws<BundleException>(() => ServerCertificate.LoadPem(_temp["cert.pem"], _temp["missing.pem"]));

        Assert.Contains(_temp["missing.pem"], error.Message, StringComparison.Ordinal);
        Assert.Contains("--key", error.Message, StringComparison.Ordinal);
    }
}
