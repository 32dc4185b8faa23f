using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>Heartbeats need a valid ingest key; admins create, list and revoke keys.</summary>
public sealed class IngestKeyTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _admin = factory.CreateClientAs(OperatorRoles.Admin);

    public static TheoryData<string?, string> BadCredentials => new()
    {
        { null, "missing" },
        { "Bearer", "empty bearer" },
        { "Bearer garbage", "garbage" },
        { "Bearer fhk_0123456789ab_" + new string('A', 43), "unknown key, well-formed" },
        { "Bearer fhk_0123456789AB_" + new string('A', 43), "upper-case key id" },
        { "Bearer fhk_0123456789ab_" + new string('A', 42), "secret one short" },
        { "Bearer fhk_0123456789ab_" + new string('A', 44), "secret one long" },
        { "Bearer fhk_0123456789ab_" + new string('A', 42) + "+", "secret outside base64url" },
        { "Bearer " + new string('x', 16_000), "oversized" },
        { "Basic dXNlcjpwYXNz", "not Bearer" },
        { "Token fhk_0123456789ab_" + new string('A', 43), "other scheme" },
        { "Bearer fhk_0123456789ab_" + new string('A', 43) + " extra", "trailing words" },
    };

    [Theory]
    [MemberData(nameof(BadCredentials))]
    public async Task A_heartbeat_without_a_valid_key_is_401_with_a_bearer_challenge(string? authorization, string because)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/heartbeats/key-check-1");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.True(response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"), because);
        await AssertNoSensorAsync("key-check-1");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_this_node_as_soon_as_the_revocation_returns()
    {
        var created = await CreateKeyAsync(new NewIngestKeyBody("to revoke", null));
        using var sensor = factory.CreateAuthenticatedClient(ingestKey: created.Key);
        Assert.Equal(HttpStatusCode.Accepted, (await sensor.PostAsync("/api/v1/heartbeats/revoke-1", null)).StatusCode);

        using var revoke = await _admin.PostAsync($"/api/v1/ingest-keys/{created.KeyId}/revoke", null);
        using var after = await sensor.PostAsync("/api/v1/heartbeats/revoke-1", null);
        using var again = await _admin.PostAsync($"/api/v1/ingest-keys/{created.KeyId}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var revokedAt = (await revoke.Content.ReadFromJsonAsync<IngestKeyView>())!.RevokedAt;
        Assert.NotNull(revokedAt);
        await ApiAssertions.AssertProblemAsync(after, HttpStatusCode.Unauthorized);
        Assert.Equal(revokedAt, (await again.Content.ReadFromJsonAsync<IngestKeyView>())!.RevokedAt);
    }

    [Fact]
    public async Task A_new_key_is_shown_once_and_lists_never_show_a_secret()
    {
        var created = await CreateKeyAsync(new NewIngestKeyBody("gateway north", "site:north"));

        var list = await _admin.GetStringAsync("/api/v1/ingest-keys");

        Assert.StartsWith($"fhk_{created.KeyId}_", created.Key, StringComparison.Ordinal);
        Assert.Equal(IngestKeyFormat.Length, created.Key.Length);
        Assert.Equal(("gateway north", "site:north"), (created.Name, created.Tag));
        Assert.Contains(created.KeyId, list, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[(IngestKeyFormat.Prefix.Length + IngestKeyFormat.KeyIdLength + 1)..], list, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(list);
        var item = doc.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("keyId").GetString() == created.KeyId);
        Assert.Equal(["createdAt", "createdBy", "keyId", "name", "revokedAt", "tag"], item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_key_is_stored_only_as_a_hash()
    {
        var created = await CreateKeyAsync(new NewIngestKeyBody("hashed", null));

        await using var command = factory.DataSource.CreateCommand("SELECT secret_hash FROM ingest_keys WHERE key_id = $1");
        command.Parameters.AddWithValue(created.KeyId);
        var stored = (byte[])(await command.ExecuteScalarAsync())!;

        var secret = created.Key[(IngestKeyFormat.Prefix.Length + IngestKeyFormat.KeyIdLength + 1)..];
        Assert.Equal(SecretToken.Hash(secret), stored);
        Assert.DoesNotContain(secret, System.Text.Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_session_does_not_make_a_heartbeat_and_a_key_does_not_read_the_fleet()
    {
        using var admin = factory.CreateClientAs(OperatorRoles.Admin);
        using var sensor = factory.CreateIngestClient();

        using var beat = await admin.PostAsync("/api/v1/heartbeats/cookie-beat", null);
        using var read = await sensor.GetAsync("/api/v1/sensors");
        using var keys = await sensor.GetAsync("/api/v1/ingest-keys");

        await ApiAssertions.AssertProblemAsync(beat, HttpStatusCode.Unauthorized);
        await ApiAssertions.AssertProblemAsync(read, HttpStatusCode.Unauthorized);
        await ApiAssertions.AssertProblemAsync(keys, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("{\"name\": \"\"}", "name")]
    [InlineData("{\"name\": \"   \"}", "name")]
    [InlineData("{\"name\": \"bell\\u0007\"}", "name")]
    [InlineData("{\"name\": \"ok\", \"tag\": \"no spaces allowed\"}", "tag")]
    [InlineData("{\"name\": 42}", "body")]
    [InlineData("[1]", "body")]
    public async Task A_bad_new_key_is_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await _admin.PostAsync("/api/v1/ingest-keys", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_refused()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/ingest-keys", new NewIngestKeyBody(new string('n', 101), null));

        await ApiAssertions.AssertFieldErrorAsync(response, "name");
    }

    [Fact]
    public async Task Revoking_an_unknown_or_malformed_key_id_is_404_or_400()
    {
        using var unknown = await _admin.PostAsync("/api/v1/ingest-keys/0123456789ab/revoke", null);
        using var malformed = await _admin.PostAsync("/api/v1/ingest-keys/NOT-AN-ID/revoke", null);

        await ApiAssertions.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        await ApiAssertions.AssertFieldErrorAsync(malformed, "keyId");
    }

    private async Task<IngestKeyCreated> CreateKeyAsync(NewIngestKeyBody body)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/ingest-keys", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IngestKeyCreated>())!;
    }

    private async Task AssertNoSensorAsync(string id)
    {
        using var viewer = factory.CreateClientAs(OperatorRoles.Viewer);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/sensors/{id}")).StatusCode);
    }
}
