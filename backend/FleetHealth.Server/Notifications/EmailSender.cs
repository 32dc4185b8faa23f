using System.Globalization;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Sends a message by SMTP with MailKit: the channel's host (checked by the <see cref="TargetGuard"/>
/// on the socket MailKit is given), port and TLS mode; the channel's credentials, else those of
/// <c>Notifications:SmtpUserName/SmtpPassword</c>, else none. The Message-ID comes from the
/// idempotency key, so a mail repeated by a retry carries the same id.
/// </summary>
internal sealed class EmailSender(TargetGuard guard, IOptions<NotificationOptions> options)
{
    public async Task<SendOutcome> SendAsync(ChannelRecord channel, NotificationPayload payload, string idempotencyKey, CancellationToken cancellationToken)
    {
        var config = channel.Config;
        var message = Compose(config, payload, idempotencyKey);
        using var client = new SmtpClient { Timeout = (int)options.Value.Timeout.TotalMilliseconds };
        try
        {
            var socket = await guard.ConnectAsync(config.Host!, config.Port!.Value, cancellationToken);
            var secure = config.Tls switch
            {
                TlsModes.Tls => SecureSocketOptions.SslOnConnect,
                TlsModes.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(socket, config.Host!, config.Port.Value, secure, cancellationToken);
            var user = config.UserName ?? options.Value.SmtpUserName;
            var password = channel.Secret ?? (config.UserName is null ? options.Value.SmtpPassword : null);
            if (user is not null && password is not null)
            {
                await client.AuthenticateAsync(user, password, cancellationToken);
            }

            var answer = await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return SendOutcome.Ok(250, answer);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            return code >= 500 ? SendOutcome.Permanent(code, $"SMTP {code}: {e.Message}") : SendOutcome.Transient(code, $"SMTP {code}: {e.Message}");
        }
        catch (AuthenticationException e)
        {
            return SendOutcome.Permanent(null, $"SMTP authentication failed: {e.Message}");
        }
        catch (Exception e) when (e is SmtpProtocolException or System.Net.Sockets.SocketException or IOException or SslHandshakeException)
        {
            return SendOutcome.Transient(null, $"SMTP: {e.Message}");
        }
    }

    private static MimeMessage Compose(ChannelConfig config, NotificationPayload payload, string idempotencyKey)
    {
        var message = new MimeMessage { Subject = $"[FleetHealth] {payload.Summary}", MessageId = $"{idempotencyKey}@fleethealth" };
        message.From.Add(MailboxAddress.Parse(config.From!));
        foreach (var to in config.To!)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Headers.Add(ChannelSender.IdempotencyHeader, idempotencyKey);
        var text = new StringBuilder(payload.Summary).Append("\n\n");
        foreach (var (state, count) in payload.Counts)
        {
            text.Append(state).Append(": ").Append(count).Append('\n');
        }

        text.Append('\n');
        foreach (var sensor in payload.Sensors)
        {
            text.Append(sensor.Id).Append("  ").Append(sensor.Status).Append(" since ").Append(sensor.Since.ToString("u", CultureInfo.InvariantCulture)).Append('\n');
        }

        if (payload.MoreSensors > 0)
        {
            text.Append("…and ").Append(payload.MoreSensors).Append(" more\n");
        }

        if (payload.DashboardUrl is { } link)
        {
            text.Append('\n').Append(link).Append('\n');
        }

        message.Body = new TextPart("plain") { Text = text.ToString() };
        return message;
    }
}
