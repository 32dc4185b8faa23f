using FleetHealth.Server.Hosting;

namespace FleetHealth.Server.Sensors;

/// <summary>
/// The sensor list with its filters as a CSV attachment (<c>sensors.csv</c>): every matching sensor
/// from the cursor on, walked a keyset page at a time and written as it goes, so only one page is
/// ever in memory.
/// </summary>
internal sealed class SensorListCsv(SensorQueries queries, string? after, SensorFilter filter) : IResult
{
    private static readonly string[] Header =
    [
        "sensor_id", "status", "status_since", "registered_at", "first_seen", "last_seen", "heartbeat_count", "tags",
        "interval_seconds", "grace_seconds", "effective_interval_seconds", "effective_grace_seconds",
        "mean_interval_seconds", "interval_stddev_seconds", "lost_beats", "retired_at",
    ];

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        await using var csv = CsvOutput.Start(httpContext.Response, "sensors.csv");
        foreach (var name in Header)
        {
            csv.WriteField(name);
        }

        await csv.EndRecordAsync(ct);
        var cursor = after;
        do
        {
            var page = await queries.PageAsync(cursor, SensorApi.MaxPageSize, filter, ct);
            foreach (var s in page.Items)
            {
                csv.WriteField(s.SensorId);
                csv.WriteField(s.Status);
                csv.WriteTime(s.StatusSince);
                csv.WriteTime(s.RegisteredAt);
                csv.WriteTime(s.FirstSeen);
                csv.WriteTime(s.LastSeen);
                csv.WriteField(s.HeartbeatCount, default);
                csv.WriteField(string.Join(' ', s.Tags));
                csv.WriteNumber(s.IntervalSeconds);
                csv.WriteNumber(s.GraceSeconds);
                csv.WriteNumber(s.Effective.IntervalSeconds);
                csv.WriteNumber(s.Effective.GraceSeconds);
                csv.WriteNumber(s.MeanIntervalSeconds);
                csv.WriteNumber(s.IntervalStdDevSeconds);
                csv.WriteField(s.LostBeats, default);
                csv.WriteTime(s.RetiredAt);
                await csv.EndRecordAsync(ct);
            }

            cursor = page.Next;
        }
        while (cursor is not null);

        await csv.FlushAsync(ct);
    }
}
