using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Bundler.Loader.Trust;

/// <summary>
/// The detached signature file beside a manifest (<c>manifest.json.sig</c>, <c>packages.tar.zst.sig</c>): compact JSON
/// <c>{"signatures":[{"algorithm":"ecdsa-p256-sha256","keyId":"sha256-…","signature":"…"}]}</c>, one signature per
/// signing key, each ECDSA P-256 over the SHA-256 of the manifest JSON (docs/FORMAT.md §13.3).
/// </summary>
internal static class ManifestSignatureFile
{
    public const string Extension = ".sig";
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>Largest signature file a reader accepts (a few hundred bytes per signature).</summary>
    public const int MaxSize = 64 * 1024;

    /// <summary>Most signatures in one file.</summary>
    public const int MaxSignatures = 16;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 4,
        TypeInfoResolver = ManifestSignatureJsonContext.Default,
    };

    private static readonly JsonTypeInfo<ManifestSignatureDocument> TypeInfo = (JsonTypeInfo<ManifestSignatureDocument>)Options.GetTypeInfo(typeof(ManifestSignatureDocument));

    /// <summary>The signature file for <paramref name="manifestJson"/>, signed by each of <paramref name="keys"/> in order.</summary>
    public static byte[] Create(ReadOnlySpan<byte> manifestJson, IReadOnlyList<ECDsa> keys)
    {
        var signatures = new List<ManifestSignatureEntry>(keys.Count);
        foreach (var key in keys)
        {
            var signature = key.SignData(manifestJson, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            signatures.Add(new ManifestSignatureEntry(Algorithm, TrustedKey.From(key).Id, Convert.ToBase64String(signature)));
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new ManifestSignatureDocument(signatures), TypeInfo);
        return [.. json, (byte)'\n'];
    }

    /// <summary>The signatures of a signature file; throws <see cref="BundleException"/> when it is not one.</summary>
    public static IReadOnlyList<ManifestSignatureEntry> Parse(ReadOnlySpan<byte> file)
    {
        ManifestSignatureDocument? document;
        try
        {
            document = file.Length > MaxSize ? null : JsonSerializer.Deserialize(file, TypeInfo);
        }
        catch (JsonException ex)
        {
            throw new BundleException($"it is not a signature file: {ex.Message}", ex);
        }

        if (document?.Signatures is not { Count: > 0 and <= MaxSignatures } signatures || signatures.Any(s => s is null))
        {
            throw new BundleException($"it is not a signature file of 1 to {MaxSignatures} signatures in at most {MaxSize} bytes");
        }

        return signatures;
    }
}

/// <summary>The JSON of a signature file.</summary>
internal sealed record ManifestSignatureDocument(IReadOnlyList<ManifestSignatureEntry> Signatures);

/// <summary>One signature: its algorithm (<see cref="ManifestSignatureFile.Algorithm"/>), the signing key's id (<see cref="TrustedKey.Id"/>) and the Base64 of the IEEE P1363 signature (r ‖ s, 64 bytes).</summary>
internal sealed record ManifestSignatureEntry(string Algorithm, string KeyId, string Signature);

[JsonSerializable(typeof(ManifestSignatureDocument))]
internal sealed partial class ManifestSignatureJsonContext : JsonSerializerContext;
