using Bundler.Loader;

namespace Bundler.Comparison.Browser;

/// <summary>The browser loader's module files and its harness page, built into this assembly from src/Bundler.Web.</summary>
internal static class BrowserLoaderAssets
{
    private const string Prefix = "browser/";
    private const string Decoder = Prefix + "fzstd.mjs";

    /// <summary>Why the assets cannot be served, or null: fzstd is built in only when npm ci has run in src/Bundler.Web.</summary>
    public static string? Missing =>
        typeof(BrowserLoaderAssets).Assembly.GetManifestResourceNames().Contains(Decoder)
            ? null
            : "this build has no zstd decoder for the browser: run 'npm ci' in src/Bundler.Web, then build again";

    /// <summary>Writes the harness page, the module and its decoder into <paramref name="folder"/>.</summary>
    public static void WriteTo(string folder)
    {
        if (Missing is { } missing)
        {
            throw new BundleException($"The browser loader cannot be served: {missing}.");
        }

        var assembly = typeof(BrowserLoaderAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(folder, name[Prefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var resource = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(path);
            resource.CopyTo(file);
        }
    }
}
