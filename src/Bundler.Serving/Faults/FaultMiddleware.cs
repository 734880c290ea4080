using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bundler.Serving.Faults;

/// <summary>Applies a <see cref="FaultPlan"/> to each request before the endpoints that serve it.</summary>
internal static class FaultMiddleware
{
    private static readonly object AppliedKey = new();

    public static IApplicationBuilder UseFaults(this IApplicationBuilder app, FaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(plan);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var faults = plan.Take(path, context.Request.Headers.Range.Count > 0 ? context.Request.Headers.Range.ToString() : null);
            if (faults.Any(f => f.Kind == FaultKind.NoRange))
            {
                Apply(FaultKind.NoRange);
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
                Apply(status.Kind);
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
            await using var faulty = new FaultyBodyStream(original, context, bodyFault, () => Apply(bodyFault.Kind));
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

            void Apply(FaultKind kind)
            {
                plan.Record(path, kind);
                if (context.Items[AppliedKey] is List<FaultKind> applied)
                {
                    applied.Add(kind);
                }
                else
                {
                    context.Items[AppliedKey] = new List<FaultKind> { kind };
                }
            }
        });
    }

    /// <summary>The faults that took effect on this request (a body fault only once it struck); empty if none.</summary>
    public static IReadOnlyList<FaultKind> Applied(HttpContext context) =>
        context.Items[AppliedKey] as List<FaultKind> ?? [];
}
