using FleetHealth.Server.Sharding;
using Microsoft.Extensions.Configuration;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>The engine a test run asks for: <c>Fleet__Engine</c> in the test process's environment, as the server reads it.</summary>
public static class TestEngine
{
    /// <summary>Legacy unless the environment says otherwise (e.g. <c>Fleet__Engine=Akka dotnet test …</c>).</summary>
    public static FleetEngine OfRun { get; } = FleetEngineOptions.EngineOf(new ConfigurationBuilder().AddEnvironmentVariables().Build());
}
