using System.Security.Cryptography.X509Certificates;
using Bundler.Comparison.Browser;
using Bundler.Serving.Tls;
using Bundler.Testing;
using Bundler.Testing.Loading;

namespace Bundler.Web.Tests;

/// <summary>
/// One headless Chromium that trusts one development certificate (by its public key, for this browser only), the
/// site that serves it the browser loader, and publish folders written by the real writer (the current layout and the one before index.json).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    internal X509Certificate2 Certificate { get; } = ServerCertificate.CreateDevelopment();

    internal PublishedPackages Published { get; private set; } = null!;

    /// <summary>The same packages in a folder written before <c>index.json</c> existed.</summary>
    internal PublishedPackages Legacy { get; private set; } = null!;

    internal HeadlessBrowser Browser { get; private set; } = null!;

    internal BrowserLoaderSite Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Published = await PublishedPackages.CreateAsync(legacyLayout: false);
        Legacy = await PublishedPackages.CreateAsync(legacyLayout: true);
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
        Legacy.Dispose();
        Certificate.Dispose();
    }
}
