using System.Security.Cryptography;
using Bundler.Loader.Format;

namespace Bundler.Loader.Trust;

/// <summary>
/// What a reader accepts besides a well-formed bundle: the manifest of one pinned integrity, or one signed by a
/// trusted key, or both. <see cref="Verify"/> (<see cref="VerifyAsync"/> over a stream) is the one check, which every load
/// mode, unpack and verify make on the manifest JSON right after reading it, before it is parsed and before anything is written.
/// </summary>
internal sealed class ManifestTrust
{
    private readonly string? _integrity;
    private readonly IReadOnlyList<TrustedKey> _keys;
    private readonly byte[]? _signatureFile;
    private readonly string? _signatureWhere;

    private ManifestTrust(string? integrity, IReadOnlyList<TrustedKey> keys, byte[]? signatureFile, string? signatureWhere)
    {
        _integrity = integrity;
        _keys = keys;
        _signatureFile = signatureFile;
        _signatureWhere = signatureWhere;
    }

    /// <summary>True when a signature file must be read before <see cref="Verify"/>.</summary>
    public bool NeedsSignature => _keys.Count > 0;

    /// <summary>
    /// The trust of a pinned integrity and PEM public keys (either may be absent), or null when neither is given;
    /// throws <see cref="ArgumentException"/> naming <paramref name="integrityName"/> or <paramref name="keysName"/>.
    /// </summary>
    public static ManifestTrust? Create(string? expectedIntegrity, IReadOnlyCollection<string>? trustedKeys, string integrityName, string keysName)
    {
        if (expectedIntegrity is null && (trustedKeys is null || trustedKeys.Count == 0))
        {
            return null;
        }

        if (expectedIntegrity is not null && ManifestIntegrity.Problem(expectedIntegrity) is { } problem)
        {
            throw new ArgumentException(problem + ".", integrityName);
        }

        var keys = new List<TrustedKey>();
        foreach (var pem in trustedKeys ?? [])
        {
            try
            {
                keys.Add(TrustedKey.FromPem(pem ?? ""));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException(ex.Message, keysName, ex);
            }
        }

        return new ManifestTrust(expectedIntegrity, keys, null, null);
    }

    /// <summary>
    /// This trust with the signature file read from <paramref name="open"/>, which <paramref name="where"/> names in
    /// full and <paramref name="name"/> beside its manifest.
    /// </summary>
    public async Task<ManifestTrust> WithSignatureAsync(Func<CancellationToken, Task<Stream>> open, string where, string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await open(cancellationToken);
            var buffer = new byte[ManifestSignatureFile.MaxSize + 1];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            return WithSignature(buffer[..read], name);
        }
        catch (BundleException ex)
        {
            throw new BundleException($"Only bundles signed by a trusted key are accepted, and the signature {where} cannot be read: {ex.Message} Sign the bundle with 'pack --sign-key' and publish its {ManifestSignatureFile.Extension} file beside it. Nothing was written.", ex);
        }
    }

    /// <summary>This trust with the signature file <paramref name="file"/> (the bytes of a <c>.sig</c> file), which <paramref name="name"/> names beside its manifest.</summary>
    public ManifestTrust WithSignature(byte[] file, string name) => new(_integrity, _keys, file, name);

    /// <summary>Throws <see cref="BundleException"/>, giving both digests or the key ids, unless <paramref name="manifestJson"/> is trusted.</summary>
    public void Verify(ReadOnlySpan<byte> manifestJson)
    {
        var algorithm = PinnedAlgorithm();
        VerifyDigests(
            algorithm is { } pinned ? SubresourceIntegrity.Hash(pinned, manifestJson) : null,
            _keys.Count > 0 ? SHA256.HashData(manifestJson) : null);
    }

    /// <summary>
    /// As <see cref="Verify(ReadOnlySpan{byte})"/> for the manifest JSON <paramref name="manifestJson"/> yields, read
    /// once to its end and hashed as it goes, so that the JSON of a large set is never held whole.
    /// </summary>
    public async Task VerifyAsync(Stream manifestJson, CancellationToken cancellationToken)
    {
        using var pinned = PinnedAlgorithm() is { } algorithm ? IncrementalHash.CreateHash(algorithm) : null;
        using var sha256 = _keys.Count > 0 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await manifestJson.ReadAsync(buffer, cancellationToken)) > 0)
        {
            pinned?.AppendData(buffer, 0, read);
            sha256?.AppendData(buffer, 0, read);
        }

        VerifyDigests(pinned?.GetHashAndReset(), sha256?.GetHashAndReset());
    }

    private HashAlgorithmName? PinnedAlgorithm() => _integrity is null ? null : ManifestIntegrity.AlgorithmOf(_integrity);

    /// <param name="pinnedDigest">The JSON's digest with the pinned integrity's algorithm, when one is pinned.</param>
    /// <param name="sha256">The JSON's SHA-256, when keys are trusted.</param>
    private void VerifyDigests(byte[]? pinnedDigest, byte[]? sha256)
    {
        if (_integrity is not null)
        {
            var (matches, actual) = ManifestIntegrity.Check(pinnedDigest!, _integrity);
            if (!matches)
            {
                throw new BundleException($"its manifest's integrity is {actual}, not the pinned {_integrity}: it is not the bundle this application was built for (it was replaced or tampered with, or is an older or newer one). Nothing was written.");
            }
        }

        if (_keys.Count == 0)
        {
            return;
        }

        if (_signatureFile is null)
        {
            throw new InvalidOperationException("The signature file was not read before the manifest was verified.");
        }

        IReadOnlyList<ManifestSignatureEntry> signatures;
        try
        {
            signatures = ManifestSignatureFile.Parse(_signatureFile);
        }
        catch (BundleException ex)
        {
            throw new BundleException($"its signature file {_signatureWhere}: {ex.Message}. Nothing was written.", ex);
        }

        var signature = new byte[64];
        foreach (var entry in signatures)
        {
            var key = _keys.FirstOrDefault(k => k.Id == entry.KeyId);
            if (key is not null && entry.Algorithm == ManifestSignatureFile.Algorithm
                && Convert.TryFromBase64String(entry.Signature ?? "", signature, out var length) && length == signature.Length
                && key.VerifiesHash(sha256!, signature))
            {
                return;
            }
        }

        var signedBy = string.Join(", ", signatures.Select(s => s.KeyId));
        var trusted = string.Join(", ", _keys.Select(k => k.Id));
        throw new BundleException($"its manifest is not signed by a trusted key: the signature file {_signatureWhere} beside it holds no valid signature by {trusted} (it has signatures by {signedBy}). The bundle was replaced, tampered with or signed by another key; nothing was written.");
    }
}
