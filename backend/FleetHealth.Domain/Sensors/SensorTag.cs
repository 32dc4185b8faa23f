using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace FleetHealth.Domain.Sensors;

/// <summary>A tag groups sensors (site, model, customer): 1 to 64 characters of <c>A-Z a-z 0-9 . _ : / -</c>.</summary>
public static class SensorTag
{
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:/-");

    public static bool IsValid(string tag, [NotNullWhen(false)] out string? error)
    {
        error = tag.Length is 0 or > MaxLength ? $"A tag is 1 to {MaxLength} characters."
            : tag.AsSpan().IndexOfAnyExcept(Allowed) is var bad and >= 0 ? $"Tag has a character outside A-Z a-z 0-9 . _ : / - at position {bad + 1}."
            : null;
        return error is null;
    }
}
