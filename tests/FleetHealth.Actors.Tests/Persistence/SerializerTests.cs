using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Tests.Support;

namespace FleetHealth.Actors.Tests.Persistence;

public sealed class SerializerTests
{
    [Fact]
    public void An_old_event_still_loads_after_its_type_gained_a_field()
    {
        var before = new EventSerializer().Register("note", TestJsonContext.Default.NoteV1);
        var payload = before.Serialize(new NoteV1("hello"), out var manifest);

        var after = new EventSerializer().Register("note", TestJsonContext.Default.NoteV2);

        Assert.Equal(new NoteV2("hello", 0), after.Deserialize(manifest, payload));
    }

    [Fact]
    public void An_alias_loads_events_written_under_an_old_manifest()
    {
        var old = new EventSerializer().Register("note.v1", TestJsonContext.Default.NoteV1);
        var payload = old.Serialize(new NoteV1("hi"), out var manifest);

        var current = new EventSerializer().Register("note.v2", TestJsonContext.Default.NoteV2).Alias<NoteV2>("note.v1");

        Assert.Equal(new NoteV2("hi", 0), current.Deserialize(manifest, payload));
    }

    [Fact]
    public void Unregistered_types_are_refused_with_a_clear_message()
    {
        var serializer = new EventSerializer();

        var error = Assert.Throws<InvalidOperationException>(() => serializer.Serialize(new NoteV1("x"), out _));

        Assert.Contains("NoteV1", error.Message, StringComparison.Ordinal);
    }
}
