// The bundle was written next to this program by the build; the RuntimeLoader sample shows how to load it.
var bundle = Path.Combine(AppContext.BaseDirectory, "packages.tar.zst");
Console.WriteLine(File.Exists(bundle)
    ? $"The build bundled the package set into {bundle} ({new FileInfo(bundle).Length} bytes), integrity {BuildTimeBundle.BundleIntegrity.Value}; load it pinned with PackageLoadOptions.ExpectedIntegrity = BundleIntegrity.Value."
    : $"No bundle at {bundle}: build with BundlerBundleAfterBuild=true (the default) or run `dotnet build -t:BundlePackages`.");
