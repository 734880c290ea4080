using System.Diagnostics;
using Bundler.Loader;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: RuntimeLoader BUNDLE-PATH-OR-URL TARGET-FOLDER");
    return 2;
}

var (source, target) = (args[0], args[1]);
var stopwatch = Stopwatch.StartNew();
using var http = new HttpClient();
try
{
    // A bundle is read front to back, once: a file and an HTTP response body are the same to the reader.
    await using var stream = Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? await http.GetStreamAsync(uri)
        : File.OpenRead(source);
    var result = await BundleReader.UnpackAsync(stream, target);
    foreach (var package in result.Manifest.Packages)
    {
        Console.WriteLine($"{package.Id} {package.Version}: {package.Files.Count} files, {package.Files.Sum(f => f.Size)} bytes{(package.KeepArchive ? " (archive kept whole)" : "")}");
    }

    Console.WriteLine($"Loaded {result.Manifest.Packages.Count} packages, {result.FileCount} files ({result.FileBytes} bytes) from {result.BundleBytes} bundle bytes into {Path.GetFullPath(target)} in {stopwatch.Elapsed.TotalMilliseconds:0} ms; every file matched its sha256.");
    return 0;
}
catch (Exception ex) when (ex is BundleException or IOException or HttpRequestException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{source}: {ex.Message}");
    return 1;
}
