using MimeKit;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Turns a channel body (a new one, or a PATCH merged onto the stored channel) into what is
/// stored, or field errors. Targets are checked against the allowlist here (names resolved), and
/// again at every connection, since what a name resolves to can change.
/// </summary>
internal sealed class ChannelValidation(TargetGuard guard)
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 2048;
    public const int MaxSecretLength = 512;
    public const int MaxRecipients = 20;

    /// <summary>The fields of <paramref name="patch"/> over <paramref name="stored"/> (null fields keep the stored value; "" clears an optional one).</summary>
    public static ChannelBody Merge(ChannelRecord stored, ChannelBody patch) => new(
        patch.Name ?? stored.Name,
        patch.Kind ?? stored.Kind,
        patch.Url ?? (stored.Kind == ChannelKinds.Slack ? stored.Secret : stored.Config.Url),
        stored.Kind == ChannelKinds.Webhook ? patch.Secret ?? stored.Secret : patch.Secret,
        patch.Host ?? stored.Config.Host,
        patch.Port ?? stored.Config.Port,
        patch.Tls ?? stored.Config.Tls,
        patch.UserName ?? stored.Config.UserName,
        stored.Kind == ChannelKinds.Email ? patch.Password ?? stored.Secret : patch.Password,
        patch.From ?? stored.Config.From,
        patch.To ?? stored.Config.To);

    public async Task<(ChannelConfig? Config, string? Secret, Dictionary<string, string[]> Errors)> ValidateAsync(ChannelBody body, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Name?.Trim() is not { Length: > 0 and <= MaxNameLength } name || name.Any(char.IsControl))
        {
            errors["name"] = [$"A channel's name is 1 to {MaxNameLength} characters without control characters."];
        }

        switch (body.Kind)
        {
            case ChannelKinds.Webhook:
                {
                    Refuse(body.Host, "host", errors);
                    Refuse(body.Password, "password", errors);
                    var url = await UrlAsync(body.Url, errors, cancellationToken);
                    var secret = string.IsNullOrEmpty(body.Secret) ? null : body.Secret;
                    if (secret is { Length: > MaxSecretLength } || (secret is not null && secret.Any(char.IsControl)))
                    {
                        errors["secret"] = [$"A secret is at most {MaxSecretLength} characters without control characters."];
                    }

                    return (errors.Count == 0 ? new ChannelConfig(url, null, null, null, null, null, null) : null, secret, errors);
                }

            case ChannelKinds.Slack:
                {
                    Refuse(body.Secret, "secret", errors);
                    Refuse(body.Host, "host", errors);
                    var url = await UrlAsync(body.Url, errors, cancellationToken);
                    return (errors.Count == 0 ? new ChannelConfig(null, null, null, null, null, null, null) : null, url, errors);
                }

            case ChannelKinds.Email:
                return await EmailAsync(body, errors, cancellationToken);

            default:
                errors["kind"] = [$"A channel's kind is one of {string.Join(", ", ChannelKinds.All)}."];
                return (null, null, errors);
        }
    }

    private async Task<(ChannelConfig?, string?, Dictionary<string, string[]>)> EmailAsync(ChannelBody body, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        Refuse(body.Url, "url", errors);
        Refuse(body.Secret, "secret", errors);
        var tls = body.Tls ?? TlsModes.StartTls;
        if (!TlsModes.All.Contains(tls))
        {
            errors["tls"] = [$"tls is one of {string.Join(", ", TlsModes.All)}."];
        }

        var port = body.Port ?? (tls == TlsModes.Tls ? 465 : tls == TlsModes.None ? 25 : 587);
        if (port is < 1 or > 65535)
        {
            errors["port"] = ["port is 1 to 65535."];
        }

        if (body.Host is not { Length: > 0 and <= 253 } host || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors["host"] = ["host is the SMTP server's name or address."];
        }
        else if (await guard.CheckAsync(host, cancellationToken) is { } refused)
        {
            errors["host"] = [refused];
        }

        if (body.UserName is { } user && (user.Length is 0 or > 256 || user.Any(char.IsControl)))
        {
            errors["userName"] = ["userName is 1 to 256 characters without control characters."];
        }

        var password = string.IsNullOrEmpty(body.Password) ? null : body.Password;
        if (password is { Length: > MaxSecretLength })
        {
            errors["password"] = [$"password is at most {MaxSecretLength} characters."];
        }

        if (body.From is null || !IsMailbox(body.From))
        {
            errors["from"] = ["from is one email address (name <address> or address)."];
        }

        if (body.To is not { Count: > 0 and <= MaxRecipients } to || to.Any(t => t is null || !IsMailbox(t)))
        {
            errors["to"] = [$"to is a list of 1 to {MaxRecipients} email addresses."];
        }

        return (errors.Count == 0 ? new ChannelConfig(null, body.Host, port, tls, body.UserName, body.From, body.To) : null, password, errors);
    }

    private async Task<string?> UrlAsync(string? raw, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (raw is not { Length: > 0 and <= MaxUrlLength } || !Uri.TryCreate(raw, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors["url"] = [$"url is an absolute http or https URL of at most {MaxUrlLength} characters."];
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            errors["url"] = ["url carries no user name or password; a webhook's secret goes in \"secret\"."];
            return null;
        }

        if (await guard.CheckAsync(uri.IdnHost, cancellationToken) is { } refused)
        {
            errors["url"] = [refused];
            return null;
        }

        return uri.AbsoluteUri;
    }

    private static void Refuse(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is not null)
        {
            errors[field] = [$"{field} is not a setting of this kind of channel."];
        }
    }

    private static bool IsMailbox(string text) =>
        text.Length <= 320 && !text.Any(char.IsControl) && MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
