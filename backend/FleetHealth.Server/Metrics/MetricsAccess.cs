using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Metrics;

/// <summary>
/// Who may scrape: with <c>Metrics:Token</c> set, whoever sends it as a bearer token (compared in
/// constant time); without one, loopback clients only, as a Prometheus or agent on the same host.
/// </summary>
internal sealed class MetricsAccess(RequestDelegate next, IOptions<MetricsOptions> options)
{
    private readonly byte[]? _token = options.Value.Token is { Length: > 0 } token ? Encoding.UTF8.GetBytes(token) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (_token is null)
        {
            return IsLoopback(context.Connection.RemoteIpAddress)
                ? next(context)
                : TypedResults.Problem(
                    "Metrics are served to loopback clients only; set Metrics:Token to scrape from elsewhere with a bearer token.",
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden").ExecuteAsync(context);
        }

        if (Matches(context.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem("Send the metrics token as 'Authorization: Bearer <token>'.", statusCode: StatusCodes.Status401Unauthorized, title: "Metrics token required")
            .ExecuteAsync(context);
    }

    private bool Matches(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _token);
    }

    internal static bool IsLoopback(IPAddress? address) =>
        address is not null && (IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4())));
}
