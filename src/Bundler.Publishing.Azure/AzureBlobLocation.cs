using System.Text.RegularExpressions;
using Bundler.Loader;

namespace Bundler.Publishing.Azure;

/// <summary>
/// An Azure Blob Storage publish location: <c>https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX/</c> (credentials
/// from the standard chain), or <c>az://CONTAINER/PREFIX/</c> in the account of <c>AZURE_STORAGE_CONNECTION_STRING</c>
/// (connection strings, SAS and emulators such as Azurite). <see cref="Prefix"/> is empty or ends in <c>/</c>.
/// </summary>
internal sealed partial record AzureBlobLocation(Uri? AccountUrl, string Container, string Prefix)
{
    public const string Scheme = "az";
    public const string HostSuffix = ".blob.core.windows.net";

    /// <summary>The location as given: the account's URL of the prefix, or <c>az://CONTAINER/PREFIX/</c>. Never holds a credential.</summary>
    public override string ToString() => AccountUrl is null ? $"{Scheme}://{Container}/{Prefix}" : $"{AccountUrl.GetLeftPart(UriPartial.Authority)}/{Container}/{Prefix}";

    public string BlobName(string name) => Prefix + name;

    /// <summary>Whether <paramref name="url"/> is an Azure Blob Storage URL this location reads.</summary>
    public static bool Is(string url) =>
        url.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase)
        || (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps && parsed.Host.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads <paramref name="url"/>; throws naming what is wrong with it.</summary>
    public static AzureBlobLocation Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        Uri? account = null;
        string path;
        if (url.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            path = url[(Scheme.Length + 3)..];
        }
        else if (Is(url))
        {
            var parsed = new Uri(url);
            if (parsed.UserInfo.Length > 0 || parsed.Query.Length > 0)
            {
                throw new BundleException($"'{parsed.GetLeftPart(UriPartial.Path)}': give the container URL without credentials or a query; the SDK's credential chain (or AZURE_STORAGE_CONNECTION_STRING with az://CONTAINER/PREFIX/) supplies them.");
            }

            account = new Uri(parsed.GetLeftPart(UriPartial.Authority));
            path = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        }
        else
        {
            throw new BundleException($"'{url}' is not an Azure Blob Storage URL; give https://ACCOUNT{HostSuffix}/CONTAINER/PREFIX/ or az://CONTAINER/PREFIX/.");
        }

        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? "" : path[(slash + 1)..];
        if (!ContainerName().IsMatch(container) || container.Contains("--", StringComparison.Ordinal))
        {
            throw new BundleException($"'{url}': '{container}' is not a blob container name (3 to 63 lower-case letters, digits and single '-'); give the container, then the prefix.");
        }

        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            prefix += "/";
        }

        if (prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal) || prefix.Split('/')[..^1].Any(s => s is "" or "." or ".."))
        {
            throw new BundleException($"'{url}': the prefix '{prefix}' is not a plain blob name prefix (no empty, '.' or '..' segments, no '?' or '#').");
        }

        return new AzureBlobLocation(account, container, prefix);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();
}
