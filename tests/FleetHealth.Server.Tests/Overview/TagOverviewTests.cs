using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Overview;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using Npgsql;

namespace FleetHealth.Server.Tests.Overview;

/// <summary>The per-tag overview against sensors whose states and last heartbeats are set at known times.</summary>
public sealed class TagOverviewTests(TaggedFleetFactory factory) : IClassFixture<TaggedFleetFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task Tags_come_worst_first_with_their_counts_per_state_and_share_silent()
    {
        await factory.SeededAsync();
        var page = (await _client.GetFromJsonAsync<TagOverviewPage>("/api/v1/fleet/tags"))!;

        // Share silent first; at equal shares the larger share in trouble (late, stale, dead, fault), then more sensors.
        Assert.Equal(["site:b", "site:d", "site:e", "site:a", "site:c", "kind:pump"], page.Items.Select(t => t.Tag));
        Assert.Equal(6, page.Total);
        Assert.Equal(600, page.SilentAfterSeconds);
        var a = page.Items.Single(t => t.Tag == "site:a");
        Assert.Equal((4L, 3L, 1L), (a.Sensors, a.Watched, a.Silent));
        Assert.Equal(1.0 / 3, a.SilentShare, 9);
        Assert.Equal(new Dictionary<string, long> { ["registered"] = 0, ["healthy"] = 2, ["fault"] = 0, ["late"] = 1, ["stale"] = 0, ["dead"] = 0, ["retired"] = 1 }, a.Counts);
        var d = page.Items.Single(t => t.Tag == "site:d");
        Assert.Equal((1L, 1L, 1.0), (d.Silent, d.Counts["registered"], d.SilentShare)); // registered an hour ago, never heard from
        Assert.Equal(0.5, page.Items.Single(t => t.Tag == "site:e").SilentShare);
        Assert.Equal((1L, 0.0), (page.Items.Single(t => t.Tag == "kind:pump").Sensors, page.Items.Single(t => t.Tag == "kind:pump").SilentShare));
    }

    [Fact]
    public async Task Pages_follow_one_another_and_a_page_past_the_end_is_empty_with_the_total()
    {
        await factory.SeededAsync();
        var first = (await _client.GetFromJsonAsync<TagOverviewPage>("/api/v1/fleet/tags?limit=2"))!;
        var second = (await _client.GetFromJsonAsync<TagOverviewPage>("/api/v1/fleet/tags?limit=2&offset=2"))!;
        var past = (await _client.GetFromJsonAsync<TagOverviewPage>("/api/v1/fleet/tags?limit=2&offset=10"))!;

        Assert.Equal(["site:b", "site:d"], first.Items.Select(t => t.Tag));
        Assert.Equal(["site:e", "site:a"], second.Items.Select(t => t.Tag));
        Assert.Empty(past.Items);
        Assert.Equal((6L, 6L, 6L), (first.Total, second.Total, past.Total));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task Bad_paging_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await _client.GetAsync($"/api/v1/fleet/tags?{query}");

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_viewer_may_read_the_overview_and_an_anonymous_caller_may_not()
    {
        using var viewer = await factory.CreateClientAs(FleetHealth.Server.Auth.OperatorRoles.Viewer).GetAsync("/api/v1/fleet/tags");
        using var anonymous = await factory.CreateClient().GetAsync("/api/v1/fleet/states-over-time");

        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

/// <summary>The server over tagged sensors whose states and last heartbeats are set relative to now (seeded once, on first use).</summary>
public sealed class TaggedFleetFactory : FleetHealthFactory
{
    private readonly Lazy<Task> _seeded;

    public TaggedFleetFactory() => _seeded = new(SeedAsync);

    public Task SeededAsync() => _seeded.Value;

    private async Task SeedAsync()
    {
        // (id, status, tags, minutes since the last heartbeat; null: never heard from)
        (string Id, string Status, string[] Tags, int? QuietMinutes)[] sensors =
        [
            ("to-a1", "healthy", ["site:a"], 1),
            ("to-a2", "healthy", ["site:a"], 2),
            ("to-a3", "late", ["site:a"], 20),
            ("to-a4", "retired", ["site:a"], 600), // not watched: neither silent nor counted in the share
            ("to-b1", "stale", ["site:b"], 30),
            ("to-b2", "stale", ["site:b"], 45),
            ("to-c1", "healthy", ["site:c", "kind:pump"], 1),
            ("to-c2", "healthy", ["site:c"], 3),
            ("to-c3", "healthy", ["site:c"], 4),
            ("to-d1", "registered", ["site:d"], null),
            ("to-e1", "dead", ["site:e"], 8 * 24 * 60),
            ("to-e2", "healthy", ["site:e"], 5),
            ("to-none", "dead", [], 9000),
        ];
        var now = DateTimeOffset.UtcNow;
        await using var batch = DataSource.CreateBatch();
        foreach (var (id, status, tags, quiet) in sensors)
        {
            var command = new NpgsqlBatchCommand("INSERT INTO sensors (sensor_id, status, status_since, tags, registered_at, first_seen, last_seen) VALUES ($1, $2, $3, $4, $3, $5, $5)");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.AddDays(-10) });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tags });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = quiet is { } minutes ? now.AddMinutes(-minutes) : null, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }
}
