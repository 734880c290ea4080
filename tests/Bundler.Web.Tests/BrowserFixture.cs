using System.Security.Cryptography.X509Certificates;
using Bundler.Comparison.Browser;
using Bundler.Serving.Tls;
using Bundler.Testing;
using Bundler.Testing.Loading;

namespace Bundler.Web.Tests;

/// <summary>
/// One headless Chromium that trusts one development certificate (by its public key, for this browser only), the
/// site that serves it the browser loader, and a publish folder written by the real writer.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    internal X509Certificate2 Certificate { get; } = ServerCertificate.CreateDevelopment();

    internal PublishedPackages Published { get; private set; } = null!;

    internal HeadlessBrowser Browser { get; private set; } = null!;

    internal BrowserLoaderSite Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Published = await PublishedPackages.CreateAsync();
        if (BrowserTheoryAttribute.SkipReason is not null)
        {
            return;
        }

        Site = await BrowserLoaderSite.StartAsync(CancellationToken.None);
        Browser = await HeadlessBrowser.LaunchAsync(ServerCertificate.SpkiSha256(Certificate), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        if (Site is not null)
        {
            await Site.DisposeAsync();
        }

        Published.Dispose();
        Certificate.Dispose();
    }
}
