using System.Text;
using FleetHealth.Server.Live;

namespace FleetHealth.Server.Tests.Live;

/// <summary>The pure parts of the live feed: client message validation, coalescing, deltas, notify payloads.</summary>
public sealed class LiveLogicTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static ClientMessage Parse(string json) => ClientMessage.Parse(Encoding.UTF8.GetBytes(json));

    private static LiveSensor Sensor(string id, string status = "healthy", params string[] tags) => new(id, status, At, At, 1, tags, 60, 0);

    [Theory]
    [InlineData("{bad", "bad-json")]
    [InlineData("", "bad-json")]
    [InlineData("[1,2]", "bad-shape")]
    [InlineData("\"subscribe\"", "bad-shape")]
    [InlineData("{}", "bad-shape")]
    [InlineData("{\"type\":5}", "bad-shape")]
    [InlineData("{\"type\":\"drop-tables\"}", "unknown-type")]
    [InlineData("{\"type\":\"subscribe\",\"filter\":[]}", "bad-field")]
    [InlineData("{\"type\":\"subscribe\",\"filter\":{\"state\":7}}", "bad-field")]
    [InlineData("{\"type\":\"subscribe\",\"filter\":{\"state\":\"sleepy\"}}", "bad-filter")]
    [InlineData("{\"type\":\"subscribe\",\"filter\":{\"tag\":\"a b\"}}", "bad-filter")]
    [InlineData("{\"type\":\"subscribe\",\"filter\":{\"text\":\"\"}}", "bad-filter")]
    [InlineData("{\"type\":\"watch\",\"sensorId\":\"a b\"}", "bad-sensor-id")]
    [InlineData("{\"type\":\"watch\",\"sensorId\":{}}", "bad-field")]
    [InlineData("{\"type\":\"ping\",\"id\":[]}", "bad-field")]
    [InlineData("{\"type\":\"ping\",\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}", "bad-json")]
    public void Bad_client_messages_are_named(string json, string code)
    {
        var message = Assert.IsType<InvalidClientMessage>(Parse(json));
        Assert.Equal(code, message.Code);
    }

    [Fact]
    public void Good_client_messages_parse()
    {
        Assert.Equal(new LiveFilter("late", "site:north", "ab"),
            Assert.IsType<SubscribeClientMessage>(Parse("""{"type":"subscribe","filter":{"state":"late","tag":"site:north","text":"ab"},"extra":1}""")).Filter);
        Assert.Equal(LiveFilter.All, Assert.IsType<SubscribeClientMessage>(Parse("""{"type":"subscribe"}""")).Filter);
        Assert.Equal("s-1", Assert.IsType<WatchClientMessage>(Parse("""{"type":"watch","sensorId":"s-1"}""")).SensorId);
        Assert.Null(Assert.IsType<WatchClientMessage>(Parse("""{"type":"watch","sensorId":null}""")).SensorId);
        Assert.Equal("p", Assert.IsType<PingClientMessage>(Parse("""{"type":"ping","id":"p"}""")).Id);
    }

    [Fact]
    public void Repeated_changes_of_a_sensor_coalesce_into_one_id()
    {
        var coalescer = new ChangeCoalescer(maxTransitions: 3);
        for (var i = 0; i < 1000; i++)
        {
            coalescer.AddSensors(["a", "b"]);
        }

        coalescer.AddTransitions(Enumerable.Range(1, 5).Select(i => new LiveTransition(i, "c", "healthy", "late", At, null)));
        var batch = coalescer.Drain();

        Assert.Equal(["a", "b", "c"], batch.SensorIds.Order(StringComparer.Ordinal));
        Assert.Equal([3L, 4L, 5L], batch.Transitions.Select(t => t.Id));
        Assert.Equal(2, batch.TransitionsDropped);
        Assert.True(coalescer.Drain().IsEmpty);
    }

    [Fact]
    public void A_delta_upserts_matching_rows_and_removes_the_rest_and_the_vanished()
    {
        var filter = new LiveFilter("late", null, null);
        var rows = new[] { Sensor("a", "late"), Sensor("b", "healthy") };

        var delta = LiveHub.BuildDelta(filter, ["a", "b", "gone"], rows, [], 0, null, At);

        Assert.NotNull(delta);
        Assert.Equal(["a"], delta.Upserts.Select(s => s.Id));
        Assert.Equal(["gone", "b"], delta.Removes);
    }

    [Fact]
    public void Nothing_to_say_is_no_delta()
    {
        Assert.Null(LiveHub.BuildDelta(LiveFilter.All, [], [], [], 0, null, At));
    }

    [Fact]
    public void Filters_mean_what_the_rest_api_means()
    {
        var sensor = Sensor("Pump-17", "late", "site:north");

        Assert.True(new LiveFilter("late", "site:north", "pump").Matches(sensor));
        Assert.False(new LiveFilter("healthy", null, null).Matches(sensor));
        Assert.False(new LiveFilter(null, "site", null).Matches(sensor));
        Assert.False(new LiveFilter(null, null, "valve").Matches(sensor));
    }

    [Fact]
    public void Notify_payloads_are_read_and_foreign_ones_ignored()
    {
        var (ids, _) = ChangeFeedPayload.Parse("""{"sensors" : ["a", "b"]}""");
        var (_, transitions) = ChangeFeedPayload.Parse("""{"transitions" : [{"id" : 7, "sensorId" : "a", "from" : "healthy", "to" : "late", "at" : "2026-11-23T13:09:33.331682+00:00", "reason" : "missed"}]}""");

        Assert.Equal(["a", "b"], ids);
        Assert.Equal(new LiveTransition(7, "a", "healthy", "late", DateTimeOffset.Parse("2026-11-23T13:09:33.331682+00:00", System.Globalization.CultureInfo.InvariantCulture), "missed"), Assert.Single(transitions));
        Assert.Empty(ChangeFeedPayload.Parse("not json").SensorIds);
        Assert.Empty(ChangeFeedPayload.Parse("""{"transitions":[{"id":"x"}]}""").Transitions);
    }
}
