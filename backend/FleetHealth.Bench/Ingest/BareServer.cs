using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FleetHealth.Bench.Ingest;

/// <summary>
/// The baseline: an ASP.NET Core endpoint that does nothing but answer 202, in its own process,
/// with the same Kestrel and the same request shape as a heartbeat.
/// </summary>
internal static class BareServer
{
    public const string Mode = "bare-server";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{args[0]}");
        var app = builder.Build();
        app.MapGet("/healthz", () => TypedResults.Ok());
        app.MapPost("/api/v1/heartbeats/{sensorId}", (string sensorId) => TypedResults.Accepted((string?)null));
        await app.RunAsync();
        return 0;
    }
}
