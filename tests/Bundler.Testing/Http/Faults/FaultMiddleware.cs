using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bundler.Testing.Http.Faults;

/// <summary>Applies a <see cref="FaultPlan"/> to each request before the endpoints that serve it.</summary>
public static class FaultMiddleware
{
    public static IApplicationBuilder UseFaults(this IApplicationBuilder app, FaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(plan);
        return app.Use(async (context, next) =>
        {
            var faults = plan.Take(context.Request.Path.Value ?? "/");
            if (faults.Any(f => f.Kind == FaultKind.NoRange))
            {
                context.Request.Headers.Remove(HeaderNames.Range);
                context.Request.Headers.Remove(HeaderNames.IfRange);
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.Remove(HeaderNames.AcceptRanges);
                    return Task.CompletedTask;
                });
            }

            if (faults.FirstOrDefault(f => f.Kind is FaultKind.ServerError or FaultKind.TooManyRequests) is { } status)
            {
                context.Response.StatusCode = status.Kind == FaultKind.ServerError ? StatusCodes.Status500InternalServerError : StatusCodes.Status429TooManyRequests;
                if (status.Kind == FaultKind.TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(status.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsync("injected fault");
                return;
            }

            if (faults.FirstOrDefault(f => f.IsBodyFault) is not { } bodyFault)
            {
                await next(context);
                return;
            }

            var original = context.Response.Body;
            await using var faulty = new FaultyBodyStream(original, context, bodyFault);
            context.Response.Body = faulty;
            try
            {
                await next(context);
            }
            catch (OperationCanceledException)
            {
                // The injected reset or stall ended the response; the connection is already aborted.
            }
            finally
            {
                context.Response.Body = original;
            }
        });
    }
}
