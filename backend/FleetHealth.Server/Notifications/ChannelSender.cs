using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// One try of sending one message to one channel, by kind. Webhook: the payload JSON as is, with
/// <c>Idempotency-Key</c>, <c>X-FleetHealth-Timestamp</c> and, given a secret,
/// <c>X-FleetHealth-Signature: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>. Slack:
/// a text message to the incoming-webhook URL. Email: <see cref="EmailSender"/>. The caller bounds
/// the time (its token).
/// </summary>
internal sealed class ChannelSender(NotificationHttp http, EmailSender email, TimeProvider clock)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string TimestampHeader = "X-FleetHealth-Timestamp";
    public const string SignatureHeader = "X-FleetHealth-Signature";
    private const int MaxResponseChars = 500;

    public async Task<SendOutcome> SendAsync(ChannelRecord channel, string payloadJson, string idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            return channel.Kind switch
            {
                ChannelKinds.Webhook => await PostAsync(channel.Config.Url!, payloadJson, idempotencyKey, channel.Secret, cancellationToken),
                ChannelKinds.Slack => await PostAsync(channel.Secret!, SlackText(payloadJson), idempotencyKey, null, cancellationToken),
                ChannelKinds.Email => await email.SendAsync(channel, Parse(payloadJson), idempotencyKey, cancellationToken),
                _ => SendOutcome.Permanent(null, $"Unknown channel kind '{channel.Kind}'."),
            };
        }
        catch (HttpRequestException e) when (Refusal(e) is { } refused)
        {
            return SendOutcome.Permanent(null, refused.Message);
        }
        catch (TargetRefusedException e)
        {
            return SendOutcome.Permanent(null, e.Message);
        }
        catch (HttpRequestException e)
        {
            return SendOutcome.Transient(null, $"{e.HttpRequestError}: {e.Message}");
        }
    }

    private async Task<SendOutcome> PostAsync(string url, string body, string idempotencyKey, string? secret, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(IdempotencyHeader, idempotencyKey);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.UserAgent.ParseAdd("FleetHealth-Notifications/1");
        if (secret is not null)
        {
            request.Headers.Add(SignatureHeader, Sign(secret, timestamp, bytes));
        }

        using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var text = await ReadSomeAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return SendOutcome.Ok(status, text);
        }

        if (status is >= 300 and < 400)
        {
            return SendOutcome.Permanent(status, $"Redirect to {response.Headers.Location} not followed.");
        }

        return status is >= 500 or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests
            ? SendOutcome.Transient(status, $"HTTP {status}: {text}")
            : SendOutcome.Permanent(status, $"HTTP {status}: {text}");
    }

    /// <summary>The signature header's value: <c>sha256=</c> and the lower-case hex HMAC of "timestamp.body".</summary>
    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed, prefix.Length);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    internal static NotificationPayload Parse(string payloadJson) =>
        JsonSerializer.Deserialize(payloadJson, NotificationJsonContext.Default.NotificationPayload)!;

    private static string SlackText(string payloadJson)
    {
        var payload = Parse(payloadJson);
        var text = new StringBuilder();
        text.Append('*').Append(Escape(payload.Summary)).Append('*');
        foreach (var sensor in payload.Sensors)
        {
            text.Append("\n• `").Append(Escape(sensor.Id)).Append("` ").Append(sensor.Status).Append(" since ").Append(sensor.Since.ToString("u", CultureInfo.InvariantCulture));
        }

        if (payload.MoreSensors > 0)
        {
            text.Append("\n…and ").Append(payload.MoreSensors).Append(" more");
        }

        if (payload.DashboardUrl is { } link)
        {
            text.Append("\n<").Append(link).Append("|Open the dashboard>");
        }

        return JsonSerializer.Serialize(new SlackMessage(text.ToString()), NotificationJsonContext.Default.SlackMessage);
    }

    /// <summary>Slack's mrkdwn escapes: &amp;, &lt;, &gt;.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxResponseChars];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static TargetRefusedException? Refusal(Exception e) =>
        e as TargetRefusedException ?? (e.InnerException is { } inner ? Refusal(inner) : null);
}
