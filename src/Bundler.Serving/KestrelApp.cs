using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bundler.Serving;

/// <summary>A Kestrel application that logs nothing, and the root URLs it listens on once started.</summary>
internal static class KestrelApp
{
    public static WebApplication Create(Action<KestrelServerOptions> configureKestrel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(configureKestrel);
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/>; returns each endpoint's root (ending with a slash) in the order they were configured.</summary>
    public static async Task<IReadOnlyList<Uri>> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        return [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a.TrimEnd('/') + "/"))];
    }
}
