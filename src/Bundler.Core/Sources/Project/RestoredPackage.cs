using NuGet.Versioning;

namespace Bundler.Core.Sources.Project;

/// <summary>A package restore put in the packages folder for a project, as its <c>project.assets.json</c> lists it.</summary>
/// <param name="Id">The id as the package spells it.</param>
/// <param name="Version">The exact version.</param>
/// <param name="Direct">Whether the project names it (a PackageReference, implicit or not, or a PackageDownload).</param>
internal sealed record RestoredPackage(string Id, NuGetVersion Version, bool Direct);
