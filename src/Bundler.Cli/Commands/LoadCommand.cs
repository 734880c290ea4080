using System.CommandLine;
using Bundler.Cli.Options;
using Bundler.Loader.Loading;

namespace Bundler.Cli.Commands;

/// <summary><c>load URL|PATH -o DIR --mode bundle|files|ranges [--packages a,b] [--integrity sha256-…] [--trust-key KEY.pem] [--stall-timeout 30s] [--allow-private-redirects] [--trust-cert FILE] [--verify-local] [--json]</c>: loads a publish location, every file verified; into an earlier load, only what changed.</summary>
internal static class LoadCommand
{
    public static Command Create(TextWriter output)
    {
        var location = new Argument<string>("location") { Description = "A publish location written by 'pack --publish': a folder, an http(s) URL of its prefix (https://cdn/app/), the URL of its index.json, or the URL or path of a .tar.zst." };
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder to load into, as <id>/<version>/<files>.", Required = true };
        var mode = new Option<LoadMode>("--mode") { Description = "bundle: one GET, unpacked as it streams; files: the original archives in parallel; ranges: the bundle's frames by parallel Range requests.", DefaultValueFactory = _ => LoadMode.Bundle };
        var packages = new Option<string[]>("--packages") { Description = "Comma-separated ids (or id/version) to load; default all.", CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray() };
        var stallTimeout = OptionValues.Duration("--stall-timeout", "How long a response may send nothing before it is resumed (or, for headers, asked again).", "30s", "30s or 500ms").Positive();
        var minimumRate = MinimumRateOption.Create();
        var json = new Option<bool>("--json") { Description = "Print the load report as JSON." };
        var verifyLocal = new Option<bool>("--verify-local") { Description = "When DIR holds an earlier load, hash every file it keeps instead of checking sizes and timestamps against the load's record." };
        var allowPrivateRedirects = RedirectOptions.AllowPrivateRedirects();
        var integrity = TrustOptions.Integrity();
        var trustKey = TrustOptions.TrustKey();
        var trustCert = TrustCertOption.Create();
        var command = new Command("load", "Load the packages of a publish location into a folder, verifying every file, and report where the time went.") { location, target, mode, packages, integrity, trustKey, stallTimeout, minimumRate, allowPrivateRedirects, trustCert, verifyLocal, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var trusted = TrustCertOption.Load(parse.GetValue(trustCert));
            var report = await PackageLoader.LoadAsync(
                parse.GetRequiredValue(location),
                parse.GetRequiredValue(target).FullName,
                new PackageLoadOptions
                {
                    Mode = parse.GetValue(mode),
                    Packages = parse.GetValue(packages),
                    ExpectedIntegrity = parse.GetValue(integrity),
                    TrustedKeys = TrustOptions.ReadTrustedKeys(parse.GetValue(trustKey)),
                    StallTimeout = parse.GetValue(stallTimeout), MinimumRate = parse.GetRequiredValue(minimumRate), AllowPrivateNetworkRedirects = parse.GetValue(allowPrivateRedirects),
                    TrustedServerCertificate = trusted,
                    VerifyLocal = parse.GetValue(verifyLocal),
                },
                cancellationToken);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(report.ToJson());
                return ExitCodes.Success;
            }

            foreach (var warning in report.Warnings)
            {
                await output.WriteLineAsync("warning: " + warning);
            }

            await output.WriteLineAsync($"Loaded into {report.Target}: {report.ToSummary()}");
            return ExitCodes.Success;
        });
        return command;
    }
}
