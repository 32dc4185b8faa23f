using Akka.Configuration;
using FleetHealth.Coordination;
using FleetHealth.Server.Storage;

namespace FleetHealth.Journal.Tests;

internal static class JournalTestConfig
{
    /// <summary>The production configuration on a test database; logs warnings and up to the test output.</summary>
    public static Config For(string connectionString, AkkaJournalOptions? options = null, string? overrides = null, JournalFence? fence = null) =>
        ConfigurationFactory.ParseString(overrides ?? "")
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"))
            .WithFallback(AkkaJournalConfiguration.ToConfig(connectionString, options ?? new AkkaJournalOptions(), fence));
}
