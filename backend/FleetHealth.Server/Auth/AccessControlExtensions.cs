using FleetHealth.Server.IngestKeys;
using Microsoft.AspNetCore.Authentication;

namespace FleetHealth.Server.Auth;

/// <summary>
/// Who may do what: two authentication schemes (the operators' session cookie, the sensors'
/// ingest key), neither of them the default, so a request is authenticated only by the scheme its
/// endpoint's policy names (<see cref="AccessPolicies"/>).
/// </summary>
internal static class AccessControlExtensions
{
    public static void AddAccessControl(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedOrigins.All(a => TrustedOrigins.Normalize(a) is not null), "Auth:AllowedOrigins lists origins as http(s)://host[:port], without a path.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TrustedOrigins>();
        builder.Services.AddSingleton<OperatorStore>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddSingleton<SignInService>();
        builder.Services.AddSingleton<OwnPasswordChange>();
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, IngestKeyAuthenticationHandler>(IngestKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAccessPolicies();
        builder.Services.AddIngestRateLimiting();
    }

    /// <summary>
    /// The cross-site request guard (before any session is looked up), authorization (which
    /// authenticates with the endpoint's scheme), then the rate limiter, so the limiter sees the
    /// ingest key and unauthenticated requests never reach a key's bucket.
    /// </summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        app.UseMiddleware<CrossSiteRequestGuard>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
