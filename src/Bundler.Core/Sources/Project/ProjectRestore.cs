using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bundler.Core.IO;
using Bundler.Loader;

namespace Bundler.Core.Sources.Project;

/// <summary>
/// Restores a project, solution or folder with the SDK and lists the <c>project.assets.json</c> of every project it
/// restored. One <c>dotnet msbuild -restore -t:GenerateRestoreGraphFile</c> process does both: restore, then the
/// dependency-graph spec, which names each project's <c>restore.outputPath</c>. Restore runs in locked mode, which
/// changes nothing for a project without <c>packages.lock.json</c> and fails a project whose lock file no longer
/// matches it (NU1004).
/// </summary>
internal static class ProjectRestore
{
    public static async Task<IReadOnlyList<string>> RestoreAsync(string path, CancellationToken cancellationToken)
    {
        var isFolder = Directory.Exists(path);
        if (!isFolder && !File.Exists(path))
        {
            throw new BundleException($"The project '{path}' does not exist; name a .csproj, .sln, .slnx or the folder that holds one.");
        }

        using var scratch = ScratchFolder.Create();
        var graphPath = Path.Combine(scratch.Path, "restore-graph.json");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = isFolder ? path : Path.GetDirectoryName(path)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("msbuild");
        if (!isFolder)
        {
            start.ArgumentList.Add(path);
        }

        foreach (var argument in (string[])["-restore", "-t:GenerateRestoreGraphFile", "-p:RestoreGraphOutputPath=" + graphPath, "-p:RestoreLockedMode=true", "-nologo", "-v:q", "-nodeReuse:false"])
        {
            start.ArgumentList.Add(argument);
        }

        // Started from inside a build (the MSBuild task), these would point the child at the parent's MSBuild.
        foreach (var inherited in (string[])["MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly"])
        {
            start.Environment.Remove(inherited);
        }

        var (exitCode, output) = await RunAsync(start, cancellationToken);
        if (exitCode != 0 || !File.Exists(graphPath))
        {
            throw new BundleException($"dotnet restore of '{path}' failed (exit code {exitCode}); fix what it reports and run again:\n  {string.Join("\n  ", ErrorLines(output))}");
        }

        return AssetsFiles(graphPath, path);
    }

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new BundleException($"Could not start '{start.FileName}' to restore; install the .NET SDK or put dotnet on PATH.");
        var output = new StringBuilder();
        var lines = new Lock();
        void Append(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        lock (lines)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Restore's own error lines, each once; its last lines when it printed none.</summary>
    private static List<string> ErrorLines(string output)
    {
        var all = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = all.Where(l => l.Contains(": error ", StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal) || l.StartsWith("MSBUILD : error", StringComparison.Ordinal)).Distinct().ToList();
        return errors.Count > 0 ? errors : all.TakeLast(20).ToList();
    }

    private static List<string> AssetsFiles(string graphPath, string path)
    {
        using var graph = JsonDocument.Parse(File.ReadAllBytes(graphPath));
        var files = new List<string>();
        if (graph.RootElement.TryGetProperty("projects", out var projects))
        {
            foreach (var project in projects.EnumerateObject())
            {
                var restore = project.Value.GetProperty("restore");
                var style = restore.TryGetProperty("projectStyle", out var s) ? s.GetString() : null;
                if (style != "PackageReference")
                {
                    throw new BundleException($"The project '{project.Name}' (in '{path}') restores as {style ?? "an unknown style"}; a project source takes PackageReference projects only (migrate packages.config to PackageReference).");
                }

                files.Add(Path.Combine(restore.GetProperty("outputPath").GetString()!, "project.assets.json"));
            }
        }

        return files.Count > 0 ? files : throw new BundleException($"'{path}' holds no project that restore restores; name a .csproj, .sln or .slnx with PackageReference projects.");
    }
}
