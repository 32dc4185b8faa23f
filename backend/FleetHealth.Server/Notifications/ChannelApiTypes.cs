namespace FleetHealth.Server.Notifications;

/// <summary>
/// Body of <c>POST /api/v1/notifications/channels</c> (every field of the kind) and of PATCH (only
/// the fields to change; <c>kind</c> cannot change). Webhook: url, secret (optional, signs the
/// body). Slack: url (the incoming-webhook URL, itself a secret). Email: host, port, tls
/// (none | starttls | tls), userName, password, from, to.
/// </summary>
public sealed record ChannelBody(
    string? Name,
    string? Kind,
    string? Url,
    string? Secret,
    string? Host,
    int? Port,
    string? Tls,
    string? UserName,
    string? Password,
    string? From,
    IReadOnlyList<string>? To);

/// <summary>A channel as the API shows it: never a secret (a Slack URL shows only its host).</summary>
public sealed record ChannelView(
    long Id,
    string Name,
    string Kind,
    string? Url,
    bool HasSecret,
    string? Host,
    int? Port,
    string? Tls,
    string? UserName,
    string? From,
    IReadOnlyList<string>? To,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt);

public sealed record ChannelList(IReadOnlyList<ChannelView> Items);

/// <summary>What <c>POST …/channels/{id}/test</c> got from the receiver.</summary>
public sealed record ChannelTestResult(bool Delivered, int? Status, string? Response, string? Error, double DurationMs, Guid NotificationId);

/// <summary>The non-secret settings of a channel (the <c>config</c> column).</summary>
internal sealed record ChannelConfig(string? Url, string? Host, int? Port, string? Tls, string? UserName, string? From, IReadOnlyList<string>? To);

/// <summary>A channel as stored, secret included: for senders only.</summary>
internal sealed record ChannelRecord(long Id, string Name, string Kind, ChannelConfig Config, string? Secret, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt)
{
    public ChannelView ToView() => new(
        Id,
        Name,
        Kind,
        Kind == ChannelKinds.Slack ? RedactedSlackUrl(Secret) : Config.Url,
        Kind != ChannelKinds.Slack && Secret is not null,
        Config.Host,
        Config.Port,
        Config.Tls,
        Config.UserName,
        Config.From,
        Config.To,
        CreatedAt,
        CreatedBy,
        UpdatedAt);

    /// <summary>The URL a slack channel posts to (kept as its secret).</summary>
    public string? TargetUrl => Kind == ChannelKinds.Slack ? Secret : Config.Url;

    private static string? RedactedSlackUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : null;
}

internal static class ChannelKinds
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Email = "email";

    public static readonly string[] All = [Webhook, Slack, Email];
}

internal static class TlsModes
{
    public const string None = "none";
    public const string StartTls = "starttls";
    public const string Tls = "tls";

    public static readonly string[] All = [None, StartTls, Tls];
}
