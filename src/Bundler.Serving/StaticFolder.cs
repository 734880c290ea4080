using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Bundler.Serving;

/// <summary>Serves a folder's files as they are, whatever their type, with Range, ETag and conditional requests.</summary>
internal static class StaticFolder
{
    public static IApplicationBuilder UseStaticFolder(this IApplicationBuilder app, string root) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.GetFullPath(root)),
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
}
