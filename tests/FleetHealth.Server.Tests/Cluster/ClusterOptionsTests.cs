using System.ComponentModel.DataAnnotations;
using FleetHealth.Server.Cluster;

namespace FleetHealth.Server.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Validate(new ClusterOptions()));
    }

    [Theory]
    [InlineData(nameof(ClusterOptions.RenewIntervalSeconds), 4.0, "RenewIntervalSeconds")]
    [InlineData(nameof(ClusterOptions.SafetyMarginSeconds), 7.0, "SafetyMarginSeconds")]
    [InlineData(nameof(ClusterOptions.MemberDownAfterSeconds), 3.0, "MemberDownAfterSeconds")]
    public void Timings_that_could_fence_a_healthy_node_are_refused(string property, double value, string named)
    {
        var options = new ClusterOptions();
        typeof(ClusterOptions).GetProperty(property)!.SetValue(options, value);

        Assert.Contains(Validate(options), message => message.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node one")]
    [InlineData("")]
    [InlineData("node/1")]
    public void A_node_id_outside_the_alphabet_is_refused(string nodeId)
    {
        Assert.Contains(Validate(new ClusterOptions { NodeId = nodeId }), message => message.Contains("NodeId", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://0.0.0.0:9090")]
    [InlineData("http://node1:9090")]
    [InlineData("not a url")]
    public void An_internal_url_that_cannot_be_listened_on_is_refused(string url)
    {
        Assert.Contains(Validate(new ClusterOptions { InternalUrl = url }), message => message.Contains("InternalUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_node_id_is_the_host_and_the_public_port()
    {
        Assert.EndsWith("-8080", ClusterNode.DefaultNodeId("http://127.0.0.1:8080;http://[::1]:8081"), StringComparison.Ordinal);
        Assert.EndsWith("-9000", ClusterNode.DefaultNodeId("http://*:9000"), StringComparison.Ordinal);
        Assert.True(ClusterNode.IsValidNodeId(ClusterNode.DefaultNodeId(null)));
    }

    private static List<string> Validate(ClusterOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }
}
