using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Bundler.Testing.Http;

namespace Bundler.Testing.Loading;

/// <summary>Loopback servers for a publish folder that behave like real hosts do when they are not ideal.</summary>
public static class PublishServers
{
    /// <summary>Serves whole files with 200 whatever the Range header says, in chunks, optionally pausing after each.</summary>
    public static Task<LoopbackServer> WithoutRangeAsync(string root, TimeSpan pausePerChunk = default, int chunkSize = 16 * 1024)
    {
        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        return LoopbackServer.StartAsync(app => app.Run(async context =>
        {
            var file = files.GetFileInfo(context.Request.Path.Value ?? "/");
            if (!file.Exists || file.IsDirectory)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = file.Length;
            await using var stream = file.CreateReadStream();
            var buffer = new byte[chunkSize];
            int read;
            while ((read = await stream.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (pausePerChunk > TimeSpan.Zero)
                {
                    await Task.Delay(pausePerChunk, context.RequestAborted);
                }
            }
        }));
    }

    /// <summary>Serves the folder with Range support, answering each request only after <paramref name="delay"/>.</summary>
    public static Task<LoopbackServer> SlowAsync(string root, TimeSpan delay) =>
        LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                await Task.Delay(delay, context.RequestAborted);
                await next(context);
            });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(Path.GetFullPath(root)),
                ServeUnknownFileTypes = true,
                DefaultContentType = "application/octet-stream",
            });
        });
}
