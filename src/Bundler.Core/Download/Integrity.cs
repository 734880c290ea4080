using System.Security.Cryptography;

namespace Bundler.Core.Download;

/// <summary>Subresource-integrity strings (<c>sha512-&lt;base64&gt;</c>), the form npm and NuGet publish archive hashes in.</summary>
internal static class Integrity
{
    public static async Task<string> OfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var hash = await SHA512.HashDataAsync(stream, cancellationToken);
        return "sha512-" + Convert.ToBase64String(hash);
    }
}
