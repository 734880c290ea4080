using System.CommandLine;
using Bundler.Loader;
using Bundler.Loader.Trust;
using Bundler.Loader.Unpacking;

namespace Bundler.Cli.Options;

/// <summary>
/// <c>--integrity</c>, <c>--trust-key</c> and <c>--sign-key</c>, named and described once for every command that pins,
/// trusts or signs a bundle (docs/FORMAT.md §13).
/// </summary>
internal static class TrustOptions
{
    public static Option<string?> Integrity()
    {
        var option = new Option<string?>("--integrity") { Description = "Accept only the bundle whose manifest has this integrity (sha256-<base64>, as pack prints it); anything else is refused before a file is written." };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && ManifestIntegrity.Problem(result.Tokens[^1].Value) is { } problem)
            {
                result.AddError($"--integrity {problem}.");
            }
        });
        return option;
    }

    public static Option<FileInfo[]> TrustKey() => new("--trust-key")
    {
        Description = "A PEM public key (ECDSA P-256) whose signature (the .sig file beside the manifest) makes a bundle acceptable; repeat it to trust several keys. Unsigned bundles and other keys' are refused.",
    };

    public static Option<FileInfo[]> SignKey() => new("--sign-key")
    {
        Description = "A PEM private key (ECDSA P-256, unencrypted) that signs the manifest into <bundle>.sig (when publishing, a signature file index.json names); repeat it to sign with several keys during a rotation.",
    };

    /// <summary>The PEM text of each trusted key file; throws <see cref="BundleException"/> naming a file that cannot be read or is not a public key.</summary>
    public static string[] ReadTrustedKeys(FileInfo[]? files) => [.. (files ?? []).Select(ReadTrustedKey)];

    /// <summary>Unpack options pinning <paramref name="integrity"/> and trusting <paramref name="keys"/>, with the signature file <c>&lt;bundle&gt;.sig</c> when keys are given.</summary>
    public static UnpackOptions ForBundleFile(string bundlePath, string? integrity, FileInfo[]? keys)
    {
        var trusted = ReadTrustedKeys(keys);
        byte[]? signature = null;
        if (trusted.Length > 0)
        {
            var signaturePath = bundlePath + ManifestSignatureFile.Extension;
            try
            {
                signature = new FileInfo(signaturePath).Length <= ManifestSignatureFile.MaxSize ? File.ReadAllBytes(signaturePath) : [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BundleException($"Only bundles signed by a trusted key are accepted, and the signature '{signaturePath}' cannot be read: {ex.Message} Sign the bundle with 'pack --sign-key'. Nothing was written.", ex);
            }
        }

        return new UnpackOptions { ExpectedIntegrity = integrity, TrustedKeys = trusted, Signature = signature };
    }

    private static string ReadTrustedKey(FileInfo file)
    {
        try
        {
            var pem = File.ReadAllText(file.FullName);
            TrustedKey.FromPem(pem);
            return pem;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BundleException($"The trusted key '{file.FullName}' cannot be read: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            throw new BundleException($"The trusted key '{file.FullName}': {ex.Message}", ex);
        }
    }
}
