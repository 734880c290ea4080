using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bundler.Loader.Http;

/// <summary>
/// Trust in one given server certificate, beside the machine's roots: a server whose chain the machine trusts is
/// accepted as always, and one whose chain it does not is accepted only when it presents exactly this certificate,
/// within its validity, for the name asked for. Nothing else is accepted: a name mismatch or another certificate fails.
/// </summary>
internal static class PinnedCertificate
{
    public static RemoteCertificateValidationCallback Trusting(X509Certificate2 trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        var pinned = trusted.RawData;
        return (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None
            || (errors == SslPolicyErrors.RemoteCertificateChainErrors
                && certificate is X509Certificate2 presented
                && presented.RawDataMemory.Span.SequenceEqual(pinned)
                && DateTime.Now >= presented.NotBefore && DateTime.Now <= presented.NotAfter);
    }
}
