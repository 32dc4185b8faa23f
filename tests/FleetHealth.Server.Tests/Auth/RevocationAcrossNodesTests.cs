using System.Diagnostics;
using System.Net;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>
/// Two server processes over one database, as two nodes of a cluster: a key revoked through one
/// is refused by the other within the stated bound (Ingest:KeyRefreshSeconds), through the
/// table's notification, and through the periodic reload when notifications are lost.
/// </summary>
public sealed class RevocationAcrossNodesTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task A_key_revoked_on_one_node_is_refused_by_the_other_through_the_notification()
    {
        // A refresh period far longer than the test: only the notification can make the second node refuse in time.
        var settings = new Dictionary<string, string> { ["Ingest:KeyRefreshSeconds"] = "600" };
        await using var a = await StartAsync(settings);
        await using var b = await StartAsync(settings);
        var (key, keyId) = await a.CreateIngestKeyAsync();
        var onB = b.CreateClient(ingestKey: key);
        await Eventually.Until(() => StatusAsync(onB, "node-b-1"), s => s == HttpStatusCode.Accepted, TimeSpan.FromSeconds(10), "node B learns of the new key");

        var admin = await a.AdminClientAsync();
        var revoked = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/ingest-keys/{keyId}/revoke", null)).StatusCode);
        await Eventually.Until(() => StatusAsync(onB, "node-b-1"), s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10), "node B refuses the revoked key");

        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(10), $"refused after {revoked.Elapsed}");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(a.CreateClient(ingestKey: key), "node-a-1"));
    }

    [Fact]
    public async Task Without_notifications_a_revoked_key_is_refused_within_the_refresh_period()
    {
        var settings = new Dictionary<string, string> { ["Ingest:KeyRefreshSeconds"] = "2" };
        await using var a = await StartAsync(settings);
        await using var b = await StartAsync(settings);
        var (key, keyId) = await a.CreateIngestKeyAsync();
        var onB = b.CreateClient(ingestKey: key);
        await Eventually.Until(() => StatusAsync(onB, "quiet-b-1"), s => s == HttpStatusCode.Accepted, TimeSpan.FromSeconds(10), "node B learns of the new key");

        // As if every notification were lost: revoke behind the trigger's back, in plain SQL.
        await using (var revoke = db.DataSource.CreateCommand($"""
            ALTER TABLE ingest_keys DISABLE TRIGGER ingest_keys_notify;
            UPDATE ingest_keys SET revoked_at = now() WHERE key_id = '{keyId}';
            ALTER TABLE ingest_keys ENABLE TRIGGER ingest_keys_notify;
            """))
        {
            await revoke.ExecuteNonQueryAsync();
        }

        var revoked = Stopwatch.StartNew();
        await Eventually.Until(() => StatusAsync(onB, "quiet-b-1"), s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(15), "node B refuses the key after its periodic reload");

        // The bound is the refresh period plus a reload; allow a loaded shared machine a few seconds on top.
        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(2 + 3), $"refused after {revoked.Elapsed}");
    }

    private async Task<ServerProcess> StartAsync(Dictionary<string, string> settings)
    {
        var server = await ServerProcess.StartAsync(db.ConnectionString, settings);
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "readiness");
        return server;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string sensor)
    {
        using var response = await client.PostAsync($"/api/v1/heartbeats/{sensor}", null);
        return response.StatusCode;
    }
}
