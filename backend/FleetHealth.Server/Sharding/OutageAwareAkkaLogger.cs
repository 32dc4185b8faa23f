using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Coordination;
using Akka.Event;
using Akka.Hosting.Logging;
using FleetHealth.Server.Storage;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// Akka.NET's log events into <see cref="ILogger"/> (Akka.Hosting's <see cref="LoggerFactoryLogger"/>),
/// except the engine's warnings and errors caused by an unreachable database, which go to the
/// storage outage log instead. During an outage sharding logs a lease failure with a stack trace
/// for every shard at every retry (thousands of lines a minute); the outage log makes that one line
/// when it starts and one with counts when it ends. Any failure that is not about reaching the
/// database is logged as Akka logged it.
/// </summary>
internal sealed class OutageAwareAkkaLogger : LoggerFactoryLogger
{
    public const string LeaseFailures = "shard lease operations failed";
    public const string EngineFailures = "engine storage operations failed";

    private readonly StorageOutageLog? _outages = Context.System.Settings.Setup.Get<StorageOutageSetup>().Value?.Outages;

    protected override void Log(LogEvent log, ActorPath path)
    {
        if (_outages is not null && log is Error or Warning && log.Cause is { } cause
            && _outages.Failed(cause is LeaseException || cause.InnerException is LeaseException ? LeaseFailures : EngineFailures, cause))
        {
            return;
        }

        base.Log(log, path);
    }
}

/// <summary>Carries the host's <see cref="StorageOutageLog"/> to <see cref="OutageAwareAkkaLogger"/> (an actor system setup, as Akka.Hosting's logger factory comes).</summary>
internal sealed class StorageOutageSetup(StorageOutageLog outages) : Setup
{
    public StorageOutageLog Outages { get; } = outages;
}
