using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Tests.Sensors;

public sealed class SensorIdTests
{
    [Theory]
    [InlineData("s-1")]
    [InlineData("AA:BB:CC:DD:EE:FF")]
    [InlineData("3f2b9c1e-0d4a-4c8e-9a51-2f6d1b7e8c90")]
    [InlineData("bay_12.north")]
    [InlineData(".a")]
    [InlineData("a..")]
    public void Typical_ids_parse(string text)
    {
        Assert.True(SensorId.TryParse(text, out var id, out _));
        Assert.Equal(text, id.Value);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData(" s", "position 1")]
    [InlineData("s\n", "position 2")]
    [InlineData("s'; DROP TABLE sensors;--", "position 2")]
    [InlineData("ü", "position 1")]
    public void Bad_ids_say_why(string? text, string expected)
    {
        Assert.False(SensorId.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    public void Ids_of_dots_only_are_refused_naming_the_rule(string text)
    {
        Assert.False(SensorId.TryParse(text, out _, out var error));
        Assert.Contains("only of dots", error, StringComparison.Ordinal);
    }
}
