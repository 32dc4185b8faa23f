using System.Runtime.CompilerServices;
using FleetHealth.Actors.Persistence;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Liveness;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>The sensor actors' latest snapshots (table <c>snapshots</c>), decoded with the journal's serializer.</summary>
public sealed class SensorSnapshots(EventSerializer serializer)
{
    /// <summary>Each sensor's latest snapshot: its id, the sequence number it covers, its state; in chunks of <paramref name="chunk"/>.</summary>
    public async IAsyncEnumerable<List<(string SensorId, long SequenceNr, SensorState State)>> ReadLatestAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int chunk, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT DISTINCT ON (persistence_id) persistence_id, sequence_nr, manifest, payload FROM snapshots
            WHERE starts_with(persistence_id, '{SensorFleet.IdPrefix}')
            ORDER BY persistence_id, sequence_nr DESC
            """, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<(string, long, SensorState)>(chunk);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (serializer.Deserialize(reader.GetString(2), reader.GetFieldValue<byte[]>(3)) is SensorState state)
            {
                items.Add((reader.GetString(0)[SensorFleet.IdPrefix.Length..], reader.GetInt64(1), state));
            }

            if (items.Count == chunk)
            {
                yield return items;
                items = new List<(string, long, SensorState)>(chunk);
            }
        }

        if (items.Count > 0)
        {
            yield return items;
        }
    }
}
