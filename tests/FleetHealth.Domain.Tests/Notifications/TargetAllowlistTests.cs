using System.Net;
using FleetHealth.Domain.Notifications;

namespace FleetHealth.Domain.Tests.Notifications;

public sealed class TargetAllowlistTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Internal_addresses_are_refused_unless_listed(string address)
    {
        Assert.True(TargetAllowlist.TryCreate([], true, out var empty, out _));
        Assert.False(empty.Allows("example.test", IPAddress.Parse(address), out var reason));
        Assert.Contains("AllowedTargets", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_ranges_and_names_in_the_list_allow_what_they_cover()
    {
        Assert.True(TargetAllowlist.TryCreate(["127.0.0.1", "10.0.0.0/8", "hooks.internal", "fd00::/8"], true, out var list, out _));

        Assert.True(list.Allows("x", IPAddress.Parse("127.0.0.1"), out _));
        Assert.True(list.Allows("x", IPAddress.Parse("10.200.3.4"), out _));
        Assert.True(list.Allows("hooks.internal", IPAddress.Parse("192.168.9.9"), out _));
        Assert.True(list.Allows("x", IPAddress.Parse("fd12::1"), out _));
        Assert.False(list.Allows("x", IPAddress.Parse("127.0.0.2"), out _));
    }

    [Fact]
    public void Public_addresses_pass_unless_only_listed_targets_may_be_reached()
    {
        Assert.True(TargetAllowlist.TryCreate([], true, out var open, out _));
        Assert.True(TargetAllowlist.TryCreate(["203.0.113.0/24"], false, out var closed, out _));

        Assert.True(open.Allows("hooks.slack.com", IPAddress.Parse("8.8.8.8"), out _));
        Assert.False(closed.Allows("hooks.slack.com", IPAddress.Parse("8.8.8.8"), out _));
        Assert.True(closed.Allows("x", IPAddress.Parse("203.0.113.7"), out _));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("not a host!")]
    [InlineData("10.0.0.0/x")]
    public void A_bad_entry_is_refused_with_its_text(string entry)
    {
        Assert.False(TargetAllowlist.TryCreate([entry], true, out _, out var error));
        Assert.Contains(entry, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_up_to_its_cap()
    {
        var baseDelay = TimeSpan.FromSeconds(5);
        var cap = TimeSpan.FromMinutes(5);

        Assert.Equal(TimeSpan.FromSeconds(2.5), DeliveryBackoff.Delay(1, baseDelay, cap, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), DeliveryBackoff.Delay(1, baseDelay, cap, 1));
        Assert.Equal(TimeSpan.FromSeconds(20), DeliveryBackoff.Delay(3, baseDelay, cap, 0.5) + TimeSpan.FromSeconds(5));
        Assert.Equal(cap, DeliveryBackoff.Delay(40, baseDelay, cap, 1));
    }
}
