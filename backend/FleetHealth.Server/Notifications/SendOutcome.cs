namespace FleetHealth.Server.Notifications;

/// <summary>How one try of a delivery ended: delivered, worth another try (network, timeout, 5xx, 408, 429), or refused for good.</summary>
internal sealed record SendOutcome(bool Delivered, bool Retryable, int? Status, string? Detail)
{
    public static SendOutcome Ok(int? status, string? detail) => new(true, false, status, detail);

    public static SendOutcome Transient(int? status, string detail) => new(false, true, status, detail);

    public static SendOutcome Permanent(int? status, string detail) => new(false, false, status, detail);
}
