using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace FleetHealth.Domain.Sensors;

/// <summary>
/// A sensor's identity as sensors send it: 1 to 128 characters from
/// <c>A-Z a-z 0-9 . _ : -</c>, case-sensitive. The set is safe in URLs, log lines, serial lines
/// and SQL literals without escaping, and covers MAC addresses, serial numbers and UUIDs. An id of
/// dots only (<c>.</c>, <c>..</c>) is refused: URLs normalise those path segments away, so no
/// request could ever read, retire or open that sensor.
/// </summary>
public readonly record struct SensorId
{
    public const int MaxLength = 128;

    public const string AllowedCharacters = "A-Z a-z 0-9 . _ : -";

    public const string DotsOnlyError = "Sensor id must not consist only of dots: '.' and '..' are path segments no URL can reach.";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    private SensorId(string value) => Value = value;

    public string Value { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the fault for a 400 answer.</summary>
    public static bool TryParse(string? text, out SensorId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (!IsWellFormed(text, out error))
        {
            return false;
        }

        if (!text.AsSpan().ContainsAnyExcept('.'))
        {
            error = DotsOnlyError;
            return false;
        }

        id = new SensorId(text);
        return true;
    }

    /// <summary>
    /// Length and alphabet only, without the dots rule: for text that may name a sensor stored before
    /// that rule (a paging cursor), never for a new id.
    /// </summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? text, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(text))
        {
            error = "Sensor id is empty.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"Sensor id is {text.Length} characters long; at most {MaxLength} are allowed.";
            return false;
        }

        var bad = text.AsSpan().IndexOfAnyExcept(Allowed);
        if (bad >= 0)
        {
            error = $"Sensor id has a character outside the allowed set ({AllowedCharacters}) at position {bad + 1}.";
            return false;
        }

        error = null;
        return true;
    }

    public override string ToString() => Value;
}
