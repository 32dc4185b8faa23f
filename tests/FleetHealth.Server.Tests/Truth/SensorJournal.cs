using FleetHealth.Fleet;
using Npgsql;

namespace FleetHealth.Server.Tests.Truth;

/// <summary>
/// What the sensors' actors wrote, read straight from Akka.Persistence.Sql's <c>akka.event_journal</c>
/// (no projection), whose payloads are JSON under the event's manifest.
/// </summary>
internal sealed class SensorJournal(NpgsqlDataSource db)
{
    private const string Rows = "SELECT persistence_id, sequence_number AS seq, manifest, message AS payload FROM akka.event_journal WHERE NOT deleted";

    /// <summary>The status changes of the sensors whose ids start with <paramref name="prefix"/>, by sensor, then time, then journal order.</summary>
    public async Task<List<Transition>> TransitionsAsync(string prefix)
    {
        var rows = new List<Transition>();
        await using var command = db.CreateCommand($"""
            SELECT substr(persistence_id, length($2) + 1), lower(e ->> 'from'), lower(e ->> 'to'), (e ->> 'at')::timestamptz
            FROM (SELECT persistence_id, seq, convert_from(payload, 'UTF8')::jsonb AS e FROM ({Rows}) r
                  WHERE manifest = '{SensorEventManifests.StatusChanged}' AND persistence_id LIKE $1) c
            ORDER BY 1, 4, seq
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorActor.PersistenceIdOf(prefix) + "%" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorActor.PersistenceIdOf("") });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Transition(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    /// <summary>The heartbeats recorded for the sensors whose ids start with <paramref name="prefix"/>.</summary>
    public async Task<long> HeartbeatsAsync(string prefix)
    {
        await using var command = db.CreateCommand($"SELECT count(*) FROM ({Rows}) r WHERE manifest = '{SensorEventManifests.Heartbeat}' AND persistence_id LIKE $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorActor.PersistenceIdOf(prefix) + "%" });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
