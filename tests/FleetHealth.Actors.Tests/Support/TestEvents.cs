using System.Text.Json.Serialization;
using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Support;

public sealed record Added(int Amount);

public sealed record CounterState(int Total);

/// <summary>An event shape before and after it gained a field (schema evolution test).</summary>
public sealed record NoteV1(string Text);

public sealed record NoteV2(string Text, int Priority);

[JsonSerializable(typeof(Added))]
[JsonSerializable(typeof(CounterState))]
[JsonSerializable(typeof(NoteV1))]
[JsonSerializable(typeof(NoteV2))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

public static class TestSerialization
{
    public static EventSerializer Create() => new EventSerializer()
        .Register("test.added", TestJsonContext.Default.Added)
        .Register("test.counter-state", TestJsonContext.Default.CounterState);
}
