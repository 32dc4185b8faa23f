using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Ingestion;

/// <summary>How reading an optional, size-bounded JSON body ended.</summary>
internal enum BodyStatus
{
    Ok,
    TooLarge,
    Malformed,
    UnsupportedMediaType,
}

internal readonly record struct BodyResult<T>(BodyStatus Status, T? Value, string? Error)
{
    /// <summary>413 or 415 for a body that was refused unread; null otherwise.</summary>
    public ProblemHttpResult? Refused => Status switch
    {
        BodyStatus.TooLarge => TypedResults.Problem(Error, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large"),
        BodyStatus.UnsupportedMediaType => TypedResults.Problem(Error, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"),
        _ => null,
    };

    /// <summary>400 naming the field <c>body</c> for a body that is not valid JSON of the expected shape; null otherwise.</summary>
    public ValidationProblem? Malformed => Status == BodyStatus.Malformed
        ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [Error!] }, title: "Malformed body")
        : null;
}

/// <summary>
/// Reads a request body by hand rather than through model binding, so that a bad body gets a
/// problem-details answer naming the fault, and an oversized one is refused before it is buffered.
/// </summary>
internal static class JsonBody
{
    public static Task<BodyResult<T>> ReadOptionalAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, int maxBytes, CancellationToken cancellationToken)
        where T : class =>
        ReadAsync(request, maxBytes, buffer => Deserialize(buffer, typeInfo), cancellationToken);

    /// <summary>
    /// The body as a document, checked only for JSON syntax: for callers that judge its shape
    /// themselves (a batch, item by item). The caller disposes it (its metadata is pooled).
    /// The document is parsed from a copy: a document parsed from the request's buffer reads that
    /// memory for as long as it lives, and the buffer goes back to the server's pool as soon as the
    /// body is read, to be refilled by other requests while this one's items are still being read.
    /// </summary>
    public static Task<BodyResult<JsonDocument>> ReadDocumentAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken) =>
        ReadAsync(request, maxBytes, buffer => JsonDocument.Parse(buffer.ToArray()), cancellationToken);

    private static async Task<BodyResult<T>> ReadAsync<T>(HttpRequest request, int maxBytes, Func<ReadOnlySequence<byte>, T?> parse, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return new(BodyStatus.Ok, null, null);
        }

        if (request.ContentLength > maxBytes)
        {
            return new(BodyStatus.TooLarge, null, $"Body is {request.ContentLength} bytes; at most {maxBytes} are accepted.");
        }

        // A body must say it is JSON: a page of another origin can send JSON-looking text only
        // unlabelled, as text/plain or as a form (fetch's no-cors mode, HTML forms), never so.
        if (!request.HasJsonContentType())
        {
            return new(BodyStatus.UnsupportedMediaType, null, string.IsNullOrEmpty(request.ContentType)
                ? "The body has no Content-Type; send it as application/json."
                : $"Content-Type '{request.ContentType}' is not JSON; send application/json.");
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return new(BodyStatus.TooLarge, null, $"Body exceeds {maxBytes} bytes.");
            }

            if (read.IsCompleted)
            {
                try
                {
                    return read.Buffer.IsEmpty
                        ? new(BodyStatus.Ok, null, null)
                        : new(BodyStatus.Ok, parse(read.Buffer), null);
                }
                catch (JsonException e)
                {
                    return new(BodyStatus.Malformed, null, Describe(e));
                }
                finally
                {
                    reader.AdvanceTo(read.Buffer.End);
                }
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static T? Deserialize<T>(ReadOnlySequence<byte> buffer, JsonTypeInfo<T> typeInfo)
    {
        var json = new Utf8JsonReader(buffer);
        return JsonSerializer.Deserialize(ref json, typeInfo);
    }

    private static string Describe(JsonException e)
    {
        var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
        var what = e.InnerException is FormatException or InvalidOperationException ? "has a value of the wrong type or format" : "is not valid JSON";
        return $"Body {what}{where} (line {(e.LineNumber ?? 0) + 1}).";
    }
}
