using Bundler.Core.Publishing;
using Bundler.Core.Writing;
using Bundler.Loader.Format;
using Bundler.Loader.Loading;
using Bundler.Testing;
using Bundler.Testing.Http;
using Bundler.Testing.Loading;

namespace Bundler.Loader.Tests.Format;

/// <summary>A real .nupkg loaded as a NuGet global packages folder that an offline restore and build accept.</summary>
public sealed class NuGetLayoutTests : IDisposable
{
    private const string Version = "13.0.3";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The machine's own extracted copy of Newtonsoft.Json (any test run restores it for the test SDK).</summary>
    private static string NuGetFolder()
    {
        string[] roots = [Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? "", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "/opt/nuget/packages"];
        var folder = roots.Where(r => r.Length > 0).Select(r => Path.Combine(r, "newtonsoft.json", Version)).FirstOrDefault(f => File.Exists(Path.Combine(f, $"newtonsoft.json.{Version}.nupkg")));
        Assert.True(folder is not null, "Newtonsoft.Json 13.0.3 is in no NuGet global packages folder of this machine");
        return folder;
    }

    [ToolFact("dotnet")]
    public async Task Load_RealNupkgInEveryMode_GivesAGlobalPackagesFolderAnOfflineBuildUses()
    {
        var nuget = NuGetFolder();
        Directory.CreateDirectory(_temp["archives"]);
        var archive = _temp["archives/Newtonsoft.Json.13.0.3.nupkg"];
        File.Copy(Path.Combine(nuget, $"newtonsoft.json.{Version}.nupkg"), archive);
        var input = new PackageInput { Id = "Newtonsoft.Json", Version = Version, ArchivePath = archive, Source = "nuget", NuGetLayout = true };
        await LegacyPublishFolder.WriteAsync([input], _temp["publish"]);
        await using var server = await LoopbackServer.ServeDirectoryAsync(_temp["publish"]);

        foreach (var mode in Enum.GetValues<LoadMode>())
        {
            await PackageLoader.LoadAsync(server.BaseUri.ToString(), _temp["loaded-" + mode], new PackageLoadOptions { Mode = mode });
        }

        LoadAssert.SameTree(_temp["loaded-Bundle"], _temp["loaded-Files"]);
        LoadAssert.SameTree(_temp["loaded-Bundle"], _temp["loaded-Ranges"]);
        var package = _temp[$"loaded-Files/newtonsoft.json/{Version}"];
        Assert.Equal(File.ReadAllText(Path.Combine(nuget, $"newtonsoft.json.{Version}.nupkg.sha512")), File.ReadAllText(Path.Combine(package, $"newtonsoft.json.{Version}.nupkg.sha512")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(nuget, "newtonsoft.json.nuspec")), File.ReadAllBytes(Path.Combine(package, "newtonsoft.json.nuspec")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(nuget, "lib/net6.0/Newtonsoft.Json.dll")), File.ReadAllBytes(Path.Combine(package, "lib/net6.0/Newtonsoft.Json.dll")));
        Assert.True(File.Exists(Path.Combine(package, ".nupkg.metadata")));
        Assert.False(File.Exists(Path.Combine(package, "[Content_Types].xml")));
        Assert.False(Directory.Exists(Path.Combine(package, "_rels")));
        Assert.False(Directory.Exists(Path.Combine(package, "package")));

        var project = Directory.CreateDirectory(_temp["app"]).FullName;
        Directory.CreateDirectory(_temp["empty-source"]);
        File.WriteAllText(Path.Combine(project, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="{Version}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(Newtonsoft.Json.JsonConvert.SerializeObject(new { loaded = true }));\n");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="empty" value="{_temp["empty-source"]}" /></packageSources>
              <fallbackPackageFolders><clear /></fallbackPackageFolders>
            </configuration>
            """);
        // Stand-alone project: keep the repository's Directory.Build/Packages files out of it.
        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />");

        var restore = ExternalTool.Shell($"dotnet restore --packages '{_temp["loaded-Files"]}' --configfile nuget.config -nologo", project);
        Assert.True(restore.ExitCode == 0, restore.Output + restore.Error);
        var build = ExternalTool.Shell("dotnet build --no-restore -nologo -v q", project);
        Assert.True(build.ExitCode == 0, build.Output + build.Error);
        var run = ExternalTool.Shell("dotnet bin/Debug/net10.0/app.dll", project);
        Assert.Equal("{\"loaded\":true}", run.Output.Trim());
    }
}
