using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FleetHealth.Server.Sensors;

/// <summary>One stored heartbeat of a sensor's timeline.</summary>
public sealed record HeartbeatPoint(DateTimeOffset ReceivedAt, double? IntervalSeconds, string Status, long? Sequence, int LostBefore);

/// <summary>Body of <c>GET /api/v1/sensors/{id}/heartbeats</c>: oldest first; <c>Truncated</c> when the limit cut the newest.</summary>
public sealed record SensorHeartbeats(string SensorId, DateTimeOffset Since, IReadOnlyList<HeartbeatPoint> Items, bool Truncated);

/// <summary>One liveness transition of a sensor.</summary>
public sealed record StateChangeView(long Id, string From, string To, DateTimeOffset At, string Reason);

/// <summary>Body of <c>GET /api/v1/sensors/{id}/history</c>: transitions since <c>Since</c>, oldest first.</summary>
public sealed record SensorHistory(string SensorId, DateTimeOffset Since, IReadOnlyList<StateChangeView> Items, bool Truncated);

/// <summary>
/// A sensor's heartbeats and transitions (the sensor page): <c>heartbeats</c> and <c>state_changes</c>
/// of the read model, as JSON (up to <c>limit</c>) or, with <c>format=csv</c>, as a CSV attachment
/// streamed from the reader (every row since <c>since</c>, or the first <c>limit</c> when given).
/// </summary>
internal static class SensorHistoryApi
{
    public const int MaxItems = 20_000;

    public static void MapSensorHistory(this RouteGroupBuilder group)
    {
        group.MapGet("/{sensorId}/heartbeats", HeartbeatsAsync);
        group.MapGet("/{sensorId}/history", HistoryAsync);
    }

    private const string HeartbeatsSql = """
        SELECT received_at, interval_seconds, status, sequence, lost_before FROM heartbeats
        WHERE sensor_id = $1 AND received_at >= $2 ORDER BY received_at LIMIT $3
        """;

    private const string HistorySql = """
        SELECT id, from_status, to_status, at, reason FROM state_changes
        WHERE sensor_id = $1 AND at >= $2 ORDER BY at, id LIMIT $3
        """;

    internal static async Task<Results<Ok<SensorHeartbeats>, CsvDownload, ValidationProblem>> HeartbeatsAsync(
        string sensorId,
        NpgsqlDataSource dataSource,
        TimeProvider clock,
        CancellationToken cancellationToken,
        DateTimeOffset? since = null,
        int? limit = null,
        string? format = null)
    {
        if (Validate(sensorId, limit, format) is { } problem)
        {
            return problem;
        }

        var from = since ?? clock.GetUtcNow().AddHours(-1);
        if (format == "csv")
        {
            return Csv($"{sensorId}-heartbeats.csv", dataSource, HeartbeatsSql, sensorId, from, limit);
        }

        var (items, truncated) = await PageAsync(dataSource, HeartbeatsSql, sensorId, from, limit ?? 5000, reader => new HeartbeatPoint(
            reader.GetFieldValue<DateTimeOffset>(0),
            reader.IsDBNull(1) ? null : reader.GetDouble(1),
            reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.GetInt32(4)), cancellationToken);
        return TypedResults.Ok(new SensorHeartbeats(sensorId, from, items, truncated));
    }

    internal static async Task<Results<Ok<SensorHistory>, CsvDownload, ValidationProblem>> HistoryAsync(
        string sensorId,
        NpgsqlDataSource dataSource,
        TimeProvider clock,
        CancellationToken cancellationToken,
        DateTimeOffset? since = null,
        int? limit = null,
        string? format = null)
    {
        if (Validate(sensorId, limit, format) is { } problem)
        {
            return problem;
        }

        var from = since ?? clock.GetUtcNow().AddDays(-7);
        if (format == "csv")
        {
            return Csv($"{sensorId}-history.csv", dataSource, HistorySql, sensorId, from, limit);
        }

        var (items, truncated) = await PageAsync(dataSource, HistorySql, sensorId, from, limit ?? 1000, reader => new StateChangeView(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)), cancellationToken);
        return TypedResults.Ok(new SensorHistory(sensorId, from, items, truncated));
    }

    /// <summary>Up to <paramref name="max"/> rows of the query (one more is read to tell whether it was cut).</summary>
    private static async Task<(List<T> Items, bool Truncated)> PageAsync<T>(
        NpgsqlDataSource dataSource, string sql, string sensorId, DateTimeOffset from, int max, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource, sql, sensorId, from, max + 1);
        var items = new List<T>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(row(reader));
            }
        }

        var truncated = items.Count > max;
        if (truncated)
        {
            items.RemoveAt(max);
        }

        return (items, truncated);
    }

    /// <summary>The rows as they are read, straight to the response: a million heartbeats never sit in memory.</summary>
    private static CsvDownload Csv(string fileName, NpgsqlDataSource dataSource, string sql, string sensorId, DateTimeOffset from, int? limit) =>
        new(fileName, async (consume, ct) =>
        {
            await using var command = Command(dataSource, sql, sensorId, from, limit);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await consume(reader, ct);
        });

    /// <summary>The query of one sensor since <paramref name="from"/>; a null <paramref name="limit"/> is <c>LIMIT NULL</c>, which PostgreSQL reads as no limit.</summary>
    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, string sensorId, DateTimeOffset from, int? limit)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sensorId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter { Value = limit is { } l ? l : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        return command;
    }

    private static ValidationProblem? Validate(string sensorId, int? limit, string? format)
    {
        var errors = new Dictionary<string, string[]>();
        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["format must be json or csv."];
        }

        if (!SensorId.TryParse(sensorId, out _, out var error))
        {
            errors["sensorId"] = [error];
        }

        if (limit is < 1 or > MaxItems)
        {
            errors["limit"] = [$"limit must be from 1 to {MaxItems}."];
        }

        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "Bad parameters");
    }
}
