using System.Security.Cryptography;
using Bundler.Core.Resolution.Locking;
using Bundler.Loader.Format;
using Bundler.Loader.Unpacking;
using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>
/// A user's project in a temporary folder: <c>app/app.csproj</c> references Bundler.Build from the local feed and imports
/// <c>app/bundle.items.props</c>, which a test rewrites to change the items; <c>archives/</c> is its folder source.
/// </summary>
internal sealed class ScenarioProject : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly PackagesFixture _packages;

    public ScenarioProject(PackagesFixture packages, string items)
    {
        _packages = packages;
        Directory.CreateDirectory(Archives);
        Directory.CreateDirectory(AppDirectory);
        packages.WriteNuGetConfig(_root.Path);
        File.WriteAllText(Path.Combine(AppDirectory, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <BundlerOutputPath>out/packages.tar.zst</BundlerOutputPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Bundler.Build" Version="{packages.Version}" />
              </ItemGroup>
              <Import Project="bundle.items.props" />
              <Target Name="ShowMSBuildBinPath" BeforeTargets="BundlePackages">
                <Message Importance="high" Text="msbuild-bin-path=$(MSBuildBinPath)" />
              </Target>
            </Project>
            """);
        SetItems(items);
    }

    public string Archives => _root["archives"];

    public string AppDirectory => _root["app"];

    public string Bundle => Path.Combine(AppDirectory, "out", "packages.tar.zst");

    public string LockFile => Path.Combine(AppDirectory, "bundle.lock.json");

    public void SetItems(string items) => File.WriteAllText(Path.Combine(AppDirectory, "bundle.items.props"), $"""
        <Project>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """);

    public Task<DotNetResult> BuildAsync(params string[] extra) =>
        DotNet.RunAsync(AppDirectory, _packages.Environment, ["build", "-tl:off", "-nodeReuse:false", "--disable-build-servers", .. extra.Any(e => e.StartsWith("-v:", StringComparison.Ordinal)) ? extra : ["-v:n", .. extra]]);

    public async Task<Manifest> VerifyBundleAsync()
    {
        await using var stream = File.OpenRead(Bundle);
        return (await BundleReader.VerifyAsync(stream)).Manifest;
    }

    public (DateTime WrittenAt, string Sha256) BundleState() =>
        (File.GetLastWriteTimeUtc(Bundle), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Bundle))));

    public void Dispose() => _root.Dispose();
}
