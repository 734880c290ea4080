using System.Security.Cryptography;

namespace Bundler.Loader.Trust;

/// <summary>
/// An ECDSA P-256 public key a loader trusts, from PEM (<c>-----BEGIN PUBLIC KEY-----</c>, SubjectPublicKeyInfo), and
/// its id: <c>sha256-</c> and the Base64 of the SHA-256 of that SubjectPublicKeyInfo (DER).
/// </summary>
internal sealed record TrustedKey(string Id, byte[] SubjectPublicKeyInfo)
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Reads a public key; throws <see cref="ArgumentException"/> saying what is wrong with it.</summary>
    public static TrustedKey FromPem(string pem)
    {
        if (!pem.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
        {
            throw new ArgumentException("A trusted key is a PEM public key (-----BEGIN PUBLIC KEY-----); make one from the signing key with 'openssl pkey -in signing.pem -pubout -out signing.pub.pem'.");
        }

        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new ArgumentException($"A trusted key is not an ECDSA public key: {ex.Message}", ex);
        }

        return From(key);
    }

    public static TrustedKey From(ECDsa key)
    {
        if (!IsP256(key))
        {
            throw new ArgumentException("A trusted key is an ECDSA key on another curve; Bundler signs and verifies with P-256 (prime256v1) only.");
        }

        var spki = key.ExportSubjectPublicKeyInfo();
        return new TrustedKey(IdOf(spki), spki);
    }

    public static bool IsP256(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        return curve.IsNamed && (curve.Oid.Value == P256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1");
    }

    public static string IdOf(byte[] subjectPublicKeyInfo) => "sha256-" + Convert.ToBase64String(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>Whether <paramref name="signature"/> (IEEE P1363, r ‖ s) is this key's over the manifest JSON whose SHA-256 is <paramref name="sha256"/>.</summary>
    public bool VerifiesHash(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        return key.VerifyHash(sha256, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
