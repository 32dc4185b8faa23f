using System.Text.Encodings.Web;
using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// Sensors' authentication: <c>Authorization: Bearer fhk_…</c>, checked against this node's
/// <see cref="IngestKeyCache"/> (no I/O per request). A missing, malformed, oversized, unknown or
/// revoked key gets 401 with <c>WWW-Authenticate: Bearer</c>; which of these it was is not told
/// (an unknown key and a revoked one look the same). Before the first load of the keys, 503.
/// </summary>
internal sealed class IngestKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IngestKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "IngestKey";

    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        ReadOnlySpan<char> value = header.Count == 1 ? header[0] : null;
        if (!value.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not one Bearer credential."));
        }

        if (!IngestKeyFormat.TryParse(value[Bearer.Length..].Trim(' '), out var keyId, out var secret))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not an ingest key."));
        }

        if (!keys.IsLoaded)
        {
            AccessProblems.MarkUnavailable(Context);
            return Task.FromResult(AuthenticateResult.Fail("Ingest keys are not loaded yet."));
        }

        return Task.FromResult(keys.TryValidate(keyId, secret, out var key)
            ? AuthenticateResult.Success(new AuthenticationTicket(key.Principal, SchemeName))
            : AuthenticateResult.Fail("Unknown or revoked ingest key."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = Request.Headers.Authorization.Count == 0
            ? "Bearer realm=\"fleethealth\""
            : "Bearer realm=\"fleethealth\", error=\"invalid_token\"";
        return AccessProblems.ChallengeAsync(Context, "Ingest key required",
            "Heartbeats need a valid ingest key: Authorization: Bearer fhk_…; this one is missing, malformed, unknown or revoked.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.ForbidAsync(Context, "This ingest key may not do this.");
}
