using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Bundler.Serving;
using Bundler.Serving.Faults;

namespace Bundler.Testing.Http;

/// <summary>A <see cref="LoopbackServer"/> serving a folder (with Range and ETag) through a <see cref="FaultPlan"/>.</summary>
internal static class FaultyServer
{
    public static Task<LoopbackServer> ServeDirectoryAsync(string root, FaultPlan plan, HttpProtocols protocols = HttpProtocols.Http1) =>
        LoopbackServer.StartAsync(app =>
        {
            app.UseFaults(plan);
            app.UseStaticFolder(root);
        }, protocols);
}
