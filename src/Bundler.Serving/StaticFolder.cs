using Microsoft.AspNetCore.Builder;

namespace Bundler.Serving;

/// <summary>
/// Serves a folder's files as they are, whatever their type, with Range, ETag and conditional requests; never a file
/// a symbolic link leads to outside the folder (<see cref="ContainedFileProvider"/>).
/// </summary>
internal static class StaticFolder
{
    public static IApplicationBuilder UseStaticFolder(this IApplicationBuilder app, string root) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new ContainedFileProvider(root),
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
}
