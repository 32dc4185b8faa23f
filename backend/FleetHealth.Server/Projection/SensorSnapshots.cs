using System.Runtime.CompilerServices;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>The sensor actors' latest snapshots (table <c>snapshots</c>), decoded with the journal's serializer.</summary>
public sealed class SensorSnapshots(EventSerializer serializer)
{
    /// <summary>
    /// Each sensor's latest snapshot: its id, the sequence number it covers, its state; in pages of
    /// <paramref name="page"/> by id (each page read whole, so the caller may use the connection between pages).
    /// </summary>
    public async IAsyncEnumerable<List<(string SensorId, long SequenceNr, SensorState State)>> ReadLatestAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int page, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = "";
        while (true)
        {
            var items = new List<(string, long, SensorState)>(page);
            var rows = 0;
            await using (var command = new NpgsqlCommand($"""
                SELECT DISTINCT ON (persistence_id) persistence_id, sequence_nr, manifest, payload FROM snapshots
                WHERE starts_with(persistence_id, '{SensorFleet.IdPrefix}') AND persistence_id > $1
                ORDER BY persistence_id, sequence_nr DESC LIMIT $2
                """, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = after });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = page });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                    after = reader.GetString(0);
                    if (serializer.Deserialize(reader.GetString(2), reader.GetFieldValue<byte[]>(3)) is SensorState state)
                    {
                        items.Add((after[SensorFleet.IdPrefix.Length..], reader.GetInt64(1), state));
                    }
                }
            }

            if (items.Count > 0)
            {
                yield return items;
            }

            if (rows < page)
            {
                yield break;
            }
        }
    }
}
