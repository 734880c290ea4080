using System.CommandLine;
using System.Text.Json;
using NuGet.Configuration;
using Bundler.Cli.Options;
using Bundler.Cli.Output;
using Bundler.Loader.Loading;

namespace Bundler.Cli.Commands;

/// <summary>
/// <c>restore-from URL|PATH [--packages DIR]</c>: loads a NuGet-layout bundle into a NuGet packages folder (DIR, else
/// the one restore uses: <c>NUGET_PACKAGES</c>, nuget.config's <c>globalPackagesFolder</c>, else ~/.nuget/packages),
/// adding the packages it lacks and leaving the ones it has as they are, so that <c>dotnet restore</c> needs no feed.
/// </summary>
internal static class RestoreFromCommand
{
    public static Command Create(TextWriter output)
    {
        var location = new Argument<string>("location") { Description = "A publish folder (http(s) URL or path) written by 'pack --project ... --publish', or the URL or path of its .tar.zst." };
        var packagesFolder = new Option<DirectoryInfo?>("--packages") { Description = "The packages folder to fill (default: the one dotnet restore uses here: NUGET_PACKAGES, nuget.config's globalPackagesFolder, else ~/.nuget/packages)." };
        var mode = new Option<LoadMode>("--mode") { Description = "bundle: one GET, unpacked as it streams; files: the original archives in parallel; ranges: the bundle's frames by parallel Range requests.", DefaultValueFactory = _ => LoadMode.Bundle };
        var json = new Option<bool>("--json") { Description = "Print the packages added and kept, and the load report, as JSON." };
        var allowPrivateRedirects = RedirectOptions.AllowPrivateRedirects();
        var integrity = TrustOptions.Integrity();
        var trustKey = TrustOptions.TrustKey();
        var trustCert = TrustCertOption.Create();
        var command = new Command("restore-from", "Fill a NuGet packages folder from a bundle so that 'dotnet restore' needs no feed: adds the packages it lacks, leaves the ones it has.")
        {
            location, packagesFolder, mode, integrity, trustKey, allowPrivateRedirects, trustCert, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var trusted = TrustCertOption.Load(parse.GetValue(trustCert));
            var folder = parse.GetValue(packagesFolder)?.FullName
                ?? SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(Environment.CurrentDirectory));
            var result = await PackagesFolderLoader.LoadAsync(
                parse.GetRequiredValue(location),
                folder,
                new PackageLoadOptions
                {
                    Mode = parse.GetValue(mode),
                    ExpectedIntegrity = parse.GetValue(integrity),
                    TrustedKeys = TrustOptions.ReadTrustedKeys(parse.GetValue(trustKey)),
                    AllowPrivateNetworkRedirects = parse.GetValue(allowPrivateRedirects),
                    TrustedServerCertificate = trusted,
                },
                cancellationToken);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new RestoreFromSummary(result.PackagesFolder, result.Added, result.Kept, result.Load?.TransferredBytes ?? 0, result.Load?.Wall.TotalSeconds ?? 0), CliJsonContext.Default.RestoreFromSummary));
                return ExitCodes.Success;
            }

            foreach (var warning in result.Load?.Warnings ?? [])
            {
                await output.WriteLineAsync("warning: " + warning);
            }

            await output.WriteLineAsync($"Restored into {result.PackagesFolder}: {result.Added.Count} packages added, {result.Kept.Count} already there and left as they were.");
            if (result.Load is not null)
            {
                await output.WriteLineAsync($"Load: {result.Load.ToSummary()}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
