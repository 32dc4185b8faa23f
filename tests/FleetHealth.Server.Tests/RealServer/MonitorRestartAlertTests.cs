using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Notifications;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>
/// The monitor's own outage is not the fleet's, through a real restart: the whole monitor (its
/// one node) is killed, stays down past its sensors' stale deadlines, and starts again. The
/// sensors that beat again after the restart are never alerted; the ones still silent after the
/// recount are, in one message; the dashboard's outage list shows when the monitor was down.
/// </summary>
public sealed class MonitorRestartAlertTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private const string Tag = "site-restart";
    private const int Resuming = 20;
    private const int Silent = 2;
    private const double StaleAfterSeconds = 5;
    private const double GraceSeconds = 5;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Liveness:DefaultIntervalSeconds"] = "1",
        ["Liveness:DefaultGraceSeconds"] = "0",
        ["Liveness:StaleAfterSeconds"] = StaleAfterSeconds.ToString(CultureInfo.InvariantCulture),
        ["Notifications:AllowedTargets:0"] = "127.0.0.1",
        ["Notifications:PollMilliseconds"] = "50",
        ["Notifications:OutageGraceSeconds"] = GraceSeconds.ToString(CultureInfo.InvariantCulture),
        ["Notifications:PulseSeconds"] = "1",
        ["Notifications:OutageRecountSeconds"] = "5",
    };

    [Fact]
    public async Task After_the_monitor_was_down_only_sensors_still_silent_are_alerted_and_the_outage_is_listed_with_them()
    {
        await using var receiver = new WebhookReceiver();
        var first = await ServerProcess.StartAsync(db.ConnectionString, Settings);
        await Eventually.Until(() => first.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(60), "ready");
        var admin = await first.AdminClientAsync();
        var channel = await admin.CreateWebhookAsync(receiver.Url());
        await admin.CreateRuleAsync(NotificationApi.Rule(["stale"], Tag, channel.Id, wait: 1, name: "restart"));
        var (key, _) = await first.CreateIngestKeyAsync(Tag);
        var resuming = Enumerable.Range(0, Resuming).Select(i => $"r-resume-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var silent = Enumerable.Range(0, Silent).Select(i => $"r-silent-{i.ToString(CultureInfo.InvariantCulture)}").ToList();
        var sensors = first.CreateClient(ingestKey: key);
        foreach (var sensor in resuming.Concat(silent))
        {
            await GroupingTests.BeatAsync(sensors, sensor, "ok");
        }

        // Killed at once: every beat was acknowledged (durable), none of the sensors is stale yet.
        first.Kill();
        await first.DisposeAsync();

        // The outage lasts past every sensor's stale deadline and the monitor's grace: its length
        // is the scenario, not a wait for something to happen.
        var staleBy = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(StaleAfterSeconds + GraceSeconds + 1);
        await Eventually.Until(() => Task.FromResult(DateTimeOffset.UtcNow), now => now > staleBy, TimeSpan.FromSeconds(60), "the outage outlasts the deadlines");

        await using var second = await ServerProcess.StartAsync(db.ConnectionString, Settings);
        await Eventually.Until(() => second.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(60), "ready again");
        sensors = second.CreateClient(ingestKey: key);
        var viewer = await second.ClientAsAsync("viewer");
        // The resuming sensors beat on until the alert arrives: they are heard again, the others are not.
        var alert = await Eventually.Until(
            async () =>
            {
                foreach (var sensor in resuming)
                {
                    await GroupingTests.BeatAsync(sensors, sensor, "ok");
                }

                return receiver.Accepted;
            },
            accepted => accepted.Count > 0,
            TimeSpan.FromSeconds(90),
            "the sensors still silent after the recount are alerted");

        var payload = JsonSerializer.Deserialize<NotificationPayload>(Assert.Single(alert).Body, Web)!;
        Assert.Equal(silent, payload.Sensors.Select(s => s.Id).Order());
        Assert.Equal(new Dictionary<string, int> { ["stale"] = Silent }, payload.Counts);
        // Not vacuous: the resuming sensors' stale transitions were written, held, then dropped.
        // (Their recounts may come due a moment after the silent ones' alert was sent.)
        try
        {
            await Eventually.Until(
                () => CountAsync("SELECT count(DISTINCT sensor_id) FROM notification_outbox WHERE sensor_id LIKE 'r-resume-%' AND dropped = 'recovered-after-outage'"),
                n => n == Resuming,
                TimeSpan.FromSeconds(30),
                "every resuming sensor's held transition is dropped");
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{e.Message}; the outbox:\n{await OutboxAsync()}");
        }
        var outages = await Eventually.Until(
            async () => (await viewer.GetFromJsonAsync<MonitorOutageList>("/api/v1/notifications/monitor-outages"))!,
            list => list.Items.Count > 0,
            TimeSpan.FromSeconds(30),
            "the monitor's outage is listed");
        var outage = Assert.Single(outages.Items);
        Assert.True(outage.Seconds >= StaleAfterSeconds + GraceSeconds, $"the outage lasted {outage.Seconds} s");
        Assert.True(outage.HeldSensors >= Resuming, $"{outage.HeldSensors} sensors held");
    }

    private async Task<string> OutboxAsync()
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT sensor_id, from_status, to_status, at, recorded_at, held_until, dropped, grouped_at FROM notification_outbox ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "-" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return string.Join('\n', rows);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
