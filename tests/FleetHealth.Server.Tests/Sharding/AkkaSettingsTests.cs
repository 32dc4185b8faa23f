using Akka.Actor;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Sharding;

/// <summary>Configuration section <c>Akka</c> reaches the server's actor system (Akka engine) and wins over FleetHealth's own HOCON.</summary>
public sealed class AkkaSettingsTests(AkkaSettingsTests.Server server) : IClassFixture<AkkaSettingsTests.Server>
{
    private Akka.Configuration.Config Config => server.Services.GetRequiredService<ActorSystem>().Settings.Config;

    [Fact]
    public void A_setting_from_configuration_wins_over_fleethealths_value()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), Config.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
    }

    [Fact]
    public void An_environment_style_key_with_underscores_names_the_dashed_setting()
    {
        Assert.Equal(TimeSpan.FromSeconds(9), Config.GetTimeSpan("akka.cluster.sharding.shard-start-timeout"));
    }

    [Fact]
    public void Settings_not_given_keep_fleethealths_values()
    {
        // A parent key with an empty value (as UseSetting gives "Akka") must not erase the rest of `akka`.
        Assert.Equal("ddata", Config.GetString("akka.cluster.sharding.state-store-mode"));
        Assert.Equal(TimeSpan.FromMilliseconds(500), Config.GetTimeSpan("akka.cluster.down-removal-margin"));
        Assert.Equal("keep-majority", Config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
    }

    public sealed class Server() : FleetHealthFactory(new Dictionary<string, string>
    {
        ["Akka:Cluster:Split-Brain-Resolver:Stable-After"] = "7s",
        ["Akka:Cluster:Sharding:Shard_Start_Timeout"] = "9s",
    });
}
