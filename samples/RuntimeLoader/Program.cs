using Bundler.Loader;
using Bundler.Loader.Loading;

if (args.Length is < 2 or > 4 || args.Take(2).Any(string.IsNullOrWhiteSpace) || !TryParseMode(args.Length >= 3 ? args[2] : "bundle", out var mode))
{
    Console.Error.WriteLine("usage: RuntimeLoader PUBLISH-FOLDER-OR-BUNDLE TARGET-FOLDER [bundle|files|ranges] [INTEGRITY|TRUSTED-KEY.pem]");
    Console.Error.WriteLine("  PUBLISH-FOLDER-OR-BUNDLE is a path or an http(s) URL; files and ranges need a publish folder (pack --publish).");
    Console.Error.WriteLine("  INTEGRITY (sha256-..., as pack prints it) loads that bundle and no other; TRUSTED-KEY.pem any bundle signed by that key.");
    return 2;
}

var (location, target) = (args[0], args[1]);
// An application pins what its build produced: the integrity pack printed (or the BundleIntegrity.Value constant
// that Bundler.Build generates with BundlerGenerateIntegrityConstant), or the public key its publisher signs with.
var trust = args.Length == 4 ? args[3] : null;
var pinned = trust is not null && (trust.StartsWith("sha256-", StringComparison.Ordinal) || trust.StartsWith("sha384-", StringComparison.Ordinal) || trust.StartsWith("sha512-", StringComparison.Ordinal));
using var cancel = new CancellationTokenSource();
ConsoleCancelEventHandler onCancel = (_, e) =>
{
    // The first Ctrl+C lets the loader stop and clean up (it leaves the target as it was); a second one ends the process.
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};
Console.CancelKeyPress += onCancel;

try
{
    var options = new PackageLoadOptions
    {
        Mode = mode,
        ExpectedIntegrity = pinned ? trust : null,
        TrustedKeys = trust is null || pinned ? null : [File.ReadAllText(trust)],
    };
    var report = await PackageLoader.LoadAsync(location, target, options, cancel.Token);
    foreach (var warning in report.Warnings)
    {
        Console.Error.WriteLine($"warning: {warning}");
    }

    Console.WriteLine(report.ToSummary());
    Console.WriteLine($"Loaded {report.Packages} packages, {report.Files} files ({report.FileBytes} bytes) into {Path.GetFullPath(target)}; every file matched its sha256.");
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine($"{location}: cancelled; {target} is as it was.");
    return 130;
}
catch (Exception ex) when (ex is BundleException or IOException or HttpRequestException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"{location}: {ex.Message}");
    return 1;
}
finally
{
    Console.CancelKeyPress -= onCancel;
}

static bool TryParseMode(string value, out LoadMode mode) =>
    Enum.TryParse(value, ignoreCase: true, out mode) && Enum.IsDefined(mode);
