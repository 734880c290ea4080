using System.Security.Cryptography;

namespace Bundler.Loader.Trust;

/// <summary>Reads a publisher's ECDSA P-256 private key from a PEM file (PKCS#8 <c>PRIVATE KEY</c> or SEC 1 <c>EC PRIVATE KEY</c>), as openssl writes it.</summary>
internal static class ManifestSigningKey
{
    /// <summary>The key in <paramref name="path"/>; throws <see cref="BundleException"/> naming the file and what to do.</summary>
    public static ECDsa FromPemFile(string path)
    {
        string pem;
        try
        {
            if (new FileInfo(path).Length > ManifestSignatureFile.MaxSize)
            {
                throw new BundleException($"The signing key '{path}' is larger than {ManifestSignatureFile.MaxSize} bytes; it is not a PEM key.");
            }

            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BundleException($"The signing key '{path}' cannot be read: {ex.Message}", ex);
        }

        if (pem.Contains("ENCRYPTED", StringComparison.Ordinal) || !pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new BundleException($"The signing key '{path}' is not an unencrypted PEM private key; make one with 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out {Path.GetFileName(path)}'.");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (!TrustedKey.IsP256(key))
            {
                throw new BundleException($"The signing key '{path}' is not on the P-256 curve; Bundler signs with ECDSA P-256 (prime256v1) only.");
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new BundleException($"The signing key '{path}' is not an ECDSA private key: {ex.Message}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
