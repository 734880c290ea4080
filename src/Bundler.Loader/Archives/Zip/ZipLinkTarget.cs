using System.Text;

namespace Bundler.Loader.Archives.Zip;

/// <summary>Reads the target of a zip entry that is a symbolic link: exactly the bytes it declares (UTF-8), never more.</summary>
internal static class ZipLinkTarget
{
    /// <summary>The longest target read; a link declaring more is refused before it is opened.</summary>
    public const int MaxSize = 4096;

    /// <exception cref="InvalidDataException">The entry holds more or fewer bytes than it declares.</exception>
    public static string Read(Stream entry, long declaredSize)
    {
        var buffer = new byte[Math.Min(declaredSize, MaxSize) + 1];
        var read = entry.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read > declaredSize)
        {
            throw new InvalidDataException($"its target holds more bytes than the {declaredSize} it declares");
        }

        if (read < declaredSize)
        {
            throw new InvalidDataException($"its target ends after {read} of the {declaredSize} bytes it declares");
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
