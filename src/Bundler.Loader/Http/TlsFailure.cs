using System.Net.Http;
using System.Security.Authentication;

namespace Bundler.Loader.Http;

/// <summary>What a failed TLS handshake means for the user, said once for every request that can meet one.</summary>
internal static class TlsFailure
{
    /// <summary>A failure no retry can mend: the server's certificate or the TLS handshake itself.</summary>
    public static bool Is(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError };

    public static string Describe(HttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception.InnerException is AuthenticationException authentication ? authentication.Message : exception.Message;
        return $"the TLS connection could not be established: {reason.TrimEnd('.')}. If the server presents a certificate of its own "
            + "(as 'serve --tls' does), trust that one certificate explicitly: --trust-cert FILE (TrustedServerCertificate in the options); "
            + "otherwise check the URL and the server's certificate";
    }
}
