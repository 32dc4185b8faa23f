using System.Globalization;
using CsvHelper;
using Npgsql;

namespace FleetHealth.Server.Hosting;

/// <summary>
/// Rows streamed as an RFC 4180 CSV attachment (CsvHelper): the header from the columns, then each
/// row as it is read, so a million rows never sit in memory. Values: empty for null, ISO 8601 UTC
/// for times, round-trip invariant numbers.
/// </summary>
public sealed class CsvDownload(string fileName, Func<Func<NpgsqlDataReader, CancellationToken, Task>, CancellationToken, Task> run) : IResult
{
    public string FileName => fileName;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await run(async (reader, ct) =>
        {
            await using var csv = CsvOutput.Start(httpContext.Response, fileName);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                csv.WriteField(reader.GetName(i));
            }

            await csv.EndRecordAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    Write(csv, reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                await csv.EndRecordAsync(ct);
            }

            await csv.FlushAsync(ct);
        }, httpContext.RequestAborted);
    }

    private static void Write(CsvWriter csv, object? value)
    {
        switch (value)
        {
            case null:
                csv.WriteField((string?)null);
                break;
            case double d:
                csv.WriteField(d, default);
                break;
            case float f:
                csv.WriteField(f, default);
                break;
            case long l:
                csv.WriteField(l, default);
                break;
            case int i:
                csv.WriteField(i, default);
                break;
            case decimal m:
                csv.WriteField(m, default);
                break;
            case bool b:
                csv.WriteField(b ? "true" : "false");
                break;
            case DateTime t:
                csv.WriteTime(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)));
                break;
            case DateTimeOffset t:
                csv.WriteTime(t);
                break;
            default:
                csv.WriteField(Format(value));
                break;
        }
    }

    /// <summary>Any other value as CSV text: intervals in seconds, arrays space-separated.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        TimeSpan t => t.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
        string[] items => string.Join(' ', items),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
