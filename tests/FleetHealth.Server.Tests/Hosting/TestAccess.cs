using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// Credentials for tests, made through the server's own services (the same code the admin API and
/// the bootstrap commands run) and used over HTTP as a browser or a sensor would: any in-memory
/// server (<see cref="WebApplicationFactory{TEntryPoint}"/>) whose database is migrated.
/// </summary>
public static class TestAccess
{
    public const string Password = "correct horse battery staple";

    /// <summary>A new operator with <see cref="Password"/>; returns its user name.</summary>
    public static async Task<string> CreateOperatorAsync(this WebApplicationFactory<Program> factory, string role, string? user = null, string password = Password)
    {
        user ??= $"{role}-{Guid.NewGuid():N}"[..24];
        var hash = await factory.Services.GetRequiredService<Passwords>().HashAsync(password, CancellationToken.None);
        var created = await factory.Services.GetRequiredService<OperatorStore>().CreateAsync(user, role, hash, "tests", CancellationToken.None);
        return created?.UserName ?? throw new InvalidOperationException($"Operator {user} exists already.");
    }

    /// <summary>Signs in over HTTP; returns the session token the cookie carries.</summary>
    public static async Task<string> SignInAsync(this WebApplicationFactory<Program> factory, string user, string password = Password)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return SessionToken(response) ?? throw new InvalidOperationException("Sign-in set no session cookie.");
    }

    /// <summary>A client signed in as a new operator of <paramref name="role"/>.</summary>
    public static async Task<HttpClient> CreateClientAsAsync(this WebApplicationFactory<Program> factory, string role) =>
        factory.CreateAuthenticatedClient(session: await factory.SignInAsync(await factory.CreateOperatorAsync(role)));

    /// <summary>A new ingest key (all sensors, or one tag), usable on this server at once.</summary>
    public static async Task<string> CreateIngestKeyAsync(this WebApplicationFactory<Program> factory, string? tag = null)
    {
        var (_, key) = await factory.Services.GetRequiredService<IngestKeyStore>().CreateAsync("tests", tag, "tests", CancellationToken.None);
        await factory.Services.GetRequiredService<IngestKeyCache>().ReloadAsync(CancellationToken.None);
        return key;
    }

    /// <summary>A client that sends the session cookie and/or the ingest key on every request (and keeps no cookies of its own).</summary>
    public static HttpClient CreateAuthenticatedClient(this WebApplicationFactory<Program> factory, string? session = null, string? ingestKey = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        if (session is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"{SessionCookie.Name}={session}");
        }

        if (ingestKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ingestKey);
        }

        return client;
    }

    /// <summary>The session token of a Set-Cookie header in <paramref name="response"/>, if any.</summary>
    public static string? SessionToken(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal))
                .Select(c => c[(SessionCookie.Name.Length + 1)..]).FirstOrDefault(v => v.Length > 0)
            : null;
}
