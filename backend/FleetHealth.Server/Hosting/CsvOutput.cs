using CsvHelper;

namespace FleetHealth.Server.Hosting;

/// <summary>What every CSV download shares: RFC 4180 output, formula escaping, the attachment headers.</summary>
public static class CsvOutput
{
    public const string ContentType = "text/csv; charset=utf-8";

    // RFC 4180 (CRLF, quotes when needed); text that a spreadsheet would run as a formula is escaped.
    public static CsvWriterOptions Options { get; } = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    /// <summary>Sets the content type and <c>Content-Disposition: attachment</c> with <paramref name="fileName"/>, then opens a writer on the body.</summary>
    public static CsvWriter Start(HttpResponse response, string fileName)
    {
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
        return CsvWriter.Create(response.Body, Options, leaveOpen: true);
    }

    /// <summary>A time as ISO 8601 UTC, or an empty field.</summary>
    public static void WriteTime(this CsvWriter csv, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            csv.WriteField(t.ToUniversalTime(), "O");
        }
        else
        {
            csv.WriteField((string?)null);
        }
    }

    /// <summary>A number, or an empty field.</summary>
    public static void WriteNumber(this CsvWriter csv, double? value)
    {
        if (value is { } v)
        {
            csv.WriteField(v, default);
        }
        else
        {
            csv.WriteField((string?)null);
        }
    }
}
