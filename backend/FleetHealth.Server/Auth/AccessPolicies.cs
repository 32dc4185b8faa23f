using FleetHealth.Server.IngestKeys;

namespace FleetHealth.Server.Auth;

/// <summary>
/// The named authorization policies, each set once on a route group. Operator policies accept only
/// a signed-in session (cookie); <see cref="Sensor"/> accepts only an ingest key (Bearer), so an
/// operator's cookie never makes a heartbeat and an ingest key never reads the fleet.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Reads everything operator-facing: sensors, history, analytics, status, live feed.</summary>
    public const string Viewer = "viewer";

    /// <summary>Also changes sensors: settings, register, retire, reactivate.</summary>
    public const string Operator = "operator";

    /// <summary>Also manages operators and ingest keys.</summary>
    public const string Admin = "admin";

    /// <summary>Posts heartbeats: a valid, unrevoked ingest key.</summary>
    public const string Sensor = "sensor";

    internal static void AddAccessPolicies(this IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(Viewer, p => p.AddAuthenticationSchemes(SessionAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
            .RequireRole(OperatorRoles.Viewer, OperatorRoles.Operator, OperatorRoles.Admin))
        .AddPolicy(Operator, p => p.AddAuthenticationSchemes(SessionAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
            .RequireRole(OperatorRoles.Operator, OperatorRoles.Admin))
        .AddPolicy(Admin, p => p.AddAuthenticationSchemes(SessionAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
            .RequireRole(OperatorRoles.Admin))
        .AddPolicy(Sensor, p => p.AddAuthenticationSchemes(IngestKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
            .RequireClaim(IngestKeyClaims.KeyId));
}
