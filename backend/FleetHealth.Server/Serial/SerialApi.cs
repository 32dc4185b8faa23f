using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Serial;

/// <summary><c>GET /api/v1/serial/ports</c>: each configured serial port, connected or not, with its counters.</summary>
public static class SerialApi
{
    public static RouteGroupBuilder MapSerialApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/serial").WithTags("Serial").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/ports", GetPorts);
        return group;
    }

    internal static Ok<SerialPortList> GetPorts(SerialPortRegistry registry) =>
        TypedResults.Ok(new SerialPortList([.. registry.Ports.Select(p => p.Snapshot())]));
}
