using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tags;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Truth;

/// <summary>
/// A generated fleet driven once through the real path (HTTP API, sensor actors and their timers,
/// the journal) on a virtual clock, with a server restart halfway, on the run's engine. The server
/// stays up for the tests that check the outcome; the database is the fixture's own.
/// </summary>
public sealed class DrivenFleet : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Liveness:DeadAfterSeconds"] = GeneratedFleet.DeadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private readonly VirtualClock _clock = new(GeneratedFleet.T0);

    public IsolatedDatabase Db { get; } = new();

    internal GeneratedFleet Fleet { get; } = new(seed: 20260601, sensors: 30, steps: 180);

    public VirtualClockServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Server = await new VirtualClockServer(Db.ConnectionString, _clock, Settings).StartAsync();
        await ProvisionAsync(Server.Client);
        var restartAt = GeneratedFleet.T0 + (Fleet.Steps / 2 * GeneratedFleet.Step);
        var restarted = false;
        foreach (var (at, kind, items) in Timeline())
        {
            if (!restarted && at >= restartAt)
            {
                // A restart in the middle: actors recover from the journal, the projection resumes from its offset.
                await Server.QuiesceAsync();
                await Server.DisposeAsync();
                Server = await new VirtualClockServer(Db.ConnectionString, _clock, Settings).StartAsync();
                restarted = true;
            }

            await Server.AdvanceToAsync(at);
            await SendAsync(Server.Client, kind, items);
        }

        await Server.AdvanceToAsync(Fleet.End);
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
        finally
        {
            await Db.DisposeAsync();
        }
    }

    private async Task ProvisionAsync(HttpClient client)
    {
        using var slow = await client.PutAsJsonAsync($"/api/v1/tags/{GeneratedFleet.SlowTag}/settings", new TagSettingsBody(120, 60));
        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        foreach (var sensor in Fleet.Sensors.Where(s => s.Provisioned))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/sensors/{sensor.Id}/register", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/sensors/{sensor.Id}/settings", new SensorSettingsBody(null, null, [.. sensor.Tags]))).StatusCode);
        }
    }

    /// <summary>Beats (one batch per instant) and retirements, in time order.</summary>
    private IEnumerable<(DateTimeOffset At, string Kind, List<BatchItem> Items)> Timeline() =>
        Fleet.Schedule()
            .Select(s => (s.At, Kind: "beats", Items: s.Beats.Select(b => new BatchItem(b.Sensor.Id, b.Beat.Sequence, Status: b.Beat.Fault ? "fault" : "ok")).ToList()))
            .Concat(Fleet.Sensors.Where(s => s.RetiredAt is not null).Select(s => (At: s.RetiredAt!.Value, Kind: "retire", Items: new List<BatchItem> { new(s.Id) })))
            .OrderBy(e => e.At);

    private static async Task SendAsync(HttpClient client, string kind, List<BatchItem> items)
    {
        if (kind == "retire")
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/sensors/{items[0].SensorId}/retire", null)).StatusCode);
            return;
        }

        using var response = await client.PostAsJsonAsync("/api/v1/heartbeats", items);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }
}
