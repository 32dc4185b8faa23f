using FleetHealth.Domain.Sensors;
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

/// <summary>A sensor's heartbeats and transitions (the sensor page): <c>heartbeats</c> and <c>state_changes</c> of the read model.</summary>
internal static class SensorHistoryApi
{
    public const int MaxItems = 20_000;

    public static void MapSensorHistory(this RouteGroupBuilder group)
    {
        group.MapGet("/{sensorId}/heartbeats", HeartbeatsAsync);
        group.MapGet("/{sensorId}/history", HistoryAsync);
    }

    internal static async Task<Results<Ok<SensorHeartbeats>, ValidationProblem>> HeartbeatsAsync(
        string sensorId, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken, DateTimeOffset? since = null, int? limit = null)
    {
        if (Validate(sensorId, limit) is { } problem)
        {
            return problem;
        }

        var from = since ?? clock.GetUtcNow().AddHours(-1);
        var max = limit ?? 5000;
        await using var command = dataSource.CreateCommand("""
            SELECT received_at, interval_seconds, status, sequence, lost_before FROM heartbeats
            WHERE sensor_id = $1 AND received_at >= $2 ORDER BY received_at LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sensorId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max + 1 });
        var items = new List<HeartbeatPoint>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new HeartbeatPoint(
                    reader.GetFieldValue<DateTimeOffset>(0),
                    reader.IsDBNull(1) ? null : reader.GetDouble(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3),
                    reader.GetInt32(4)));
            }
        }

        var truncated = items.Count > max;
        if (truncated)
        {
            items.RemoveAt(max);
        }

        return TypedResults.Ok(new SensorHeartbeats(sensorId, from, items, truncated));
    }

    internal static async Task<Results<Ok<SensorHistory>, ValidationProblem>> HistoryAsync(
        string sensorId, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken, DateTimeOffset? since = null, int? limit = null)
    {
        if (Validate(sensorId, limit) is { } problem)
        {
            return problem;
        }

        var from = since ?? clock.GetUtcNow().AddDays(-7);
        var max = limit ?? 1000;
        await using var command = dataSource.CreateCommand("""
            SELECT id, from_status, to_status, at, reason FROM state_changes
            WHERE sensor_id = $1 AND at >= $2 ORDER BY at, id LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sensorId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max + 1 });
        var items = new List<StateChangeView>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new StateChangeView(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
            }
        }

        var truncated = items.Count > max;
        if (truncated)
        {
            items.RemoveAt(max);
        }

        return TypedResults.Ok(new SensorHistory(sensorId, from, items, truncated));
    }

    private static ValidationProblem? Validate(string sensorId, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
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
