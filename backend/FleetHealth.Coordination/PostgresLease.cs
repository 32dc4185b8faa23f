using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;

namespace FleetHealth.Coordination;

/// <summary>
/// An Akka.Coordination <see cref="Lease"/> kept in PostgreSQL (<c>akka.leases</c>, migration 0015),
/// for Akka.Cluster.Sharding's <c>use-lease</c>: it keeps "one writer per shard" for a node that is
/// cut off from its peers but not from the database, or from the database but not its peers.
/// Loaded by <see cref="LeaseProvider"/> from a configuration block such as <see cref="DefaultConfig"/>.
/// </summary>
/// <remarks>
/// <para><b>Expiry by PostgreSQL's clock.</b> Acquire and every renewal set
/// <c>expires_at = clock_timestamp() + heartbeat-timeout</c>; another owner acquires only once
/// <c>expires_at &lt;= clock_timestamp()</c>. Node clocks are never compared with the database's.</para>
/// <para><b>Self-fencing by the monotonic clock.</b> The holder reads its monotonic clock before
/// sending an acquisition or renewal (<c>t0</c>); PostgreSQL stamps the expiry after receiving it,
/// so the lease is valid at least until <c>t0 + heartbeat-timeout</c>. <see cref="CheckLease"/> is
/// true only until <c>t0 + heartbeat-timeout - safety-margin</c> of the last successful one, so a
/// holder that cannot renew (database unreachable, answers lost) stops trusting the lease
/// <c>safety-margin</c> before anybody can take it, provided the clock rates differ by less than
/// <c>safety-margin / heartbeat-timeout</c> and PostgreSQL's clock is not stepped forward.</para>
/// <para><b>Loss.</b> A renewal that finds the lease expired or taken, or renewals that keep
/// failing until the trusted time is over, invoke the lease-lost callback once (per acquisition)
/// and make <see cref="CheckLease"/> false until the lease is acquired again.</para>
/// <para><b>Incarnations and the journal fence.</b> With <c>journal-writer</c> set (a
/// <see cref="JournalFence"/>'s writer, new for every start), an acquisition records it; the same
/// owner name with another writer (a restarted node on the same address) is another owner: it
/// waits for the old lease to expire and gets a new epoch. Taking over a lease whose previous
/// writer let it expire first ends that writer's open journal transactions
/// (<c>pg_terminate_backend</c>), then waits, locking the row <c>FOR UPDATE</c>, for the writes
/// that passed the journal fence under it: a journal write of a paused or cut-off holder is either
/// committed before the acquisition returns or refused (SQLSTATE <c>ZF001</c>).</para>
/// <para><b>Not guaranteed.</b> Without the journal fence, a process paused (GC, VM freeze) between
/// a <see cref="CheckLease"/> and its write can still write after expiry. Acquire and release may time out
/// (<c>lease-operation-timeout</c>) after PostgreSQL applied them: a timed-out acquisition may hold
/// the lease (acquire again, or let it expire), a timed-out release leaves it to expire.</para>
/// </remarks>
public sealed class PostgresLease : Lease
{
    /// <summary>Configuration path of the default block, for <c>use-lease</c>.</summary>
    public const string ConfigPath = "fleethealth.postgres-lease";

    private static int _instances;
    private readonly IActorRef _actor;
    private readonly PostgresLeaseState _state;
    private readonly TimeSpan _askTimeout;

    /// <summary>The constructor <see cref="LeaseProvider"/> calls.</summary>
    public PostgresLease(LeaseSettings settings, ExtendedActorSystem system)
        : this(settings, system, TimeProvider.System)
    {
    }

    internal PostgresLease(LeaseSettings settings, ExtendedActorSystem system, TimeProvider clock)
        : base(settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        var timeouts = settings.TimeoutSettings;
        var margin = SafetyMargin(settings);
        var trustedFor = timeouts.HeartbeatTimeout - margin;
        if (margin <= TimeSpan.Zero || timeouts.HeartbeatInterval >= trustedFor)
        {
            throw new ConfigurationException(
                $"{settings}: safety-margin must be positive and heartbeat-interval shorter than heartbeat-timeout - safety-margin");
        }

        var store = new PostgresLeaseStore(PostgresLeaseDataSources.Get(system).For(settings.LeaseConfig), JournalWriter(settings));
        _state = new PostgresLeaseState(clock);
        // The actor may be in a renewal (itself bounded by the operation timeout) when asked.
        _askTimeout = timeouts.OperationTimeout + timeouts.OperationTimeout;
        _actor = system.SystemActorOf(
            PostgresLeaseActor.Props(store, settings, _state, trustedFor),
            $"postgres-lease-{Interlocked.Increment(ref _instances)}");
    }

    /// <summary>
    /// The block to add as a fallback to the system's configuration (and to extend with
    /// <c>connection-string</c>, unless a <see cref="PostgresLeaseSetup"/> gives the data source).
    /// Timeouts not set here come from <c>akka.coordination.lease</c>.
    /// </summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString("""
        fleethealth.postgres-lease {
          lease-class = "FleetHealth.Coordination.PostgresLease, FleetHealth.Coordination"
          # Another owner may take the lease this long after its last renewal, by PostgreSQL's clock.
          heartbeat-timeout = 20s
          # Renewal period; must be shorter than heartbeat-timeout - safety-margin (and than half the timeout).
          heartbeat-interval = 2s
          # The holder stops trusting the lease this long before it can expire (clock-rate headroom).
          safety-margin = 4s
          # Bound of one acquire, renewal or release round trip.
          lease-operation-timeout = 5s
          # Npgsql connection string; ignored when the system's setup has a PostgresLeaseSetup.
          connection-string = ""
          # This incarnation's journal writer identity (JournalFence.Writer), recorded with every
          # acquisition so the journal fence (migration 0016) lets this node's journal write the
          # shard; empty: none (fenced journal sessions cannot write the shard).
          journal-writer = ""
        }
        """);

    /// <inheritdoc/>
    public override bool CheckLease() => _state.IsTrusted;

    /// <inheritdoc/>
    public override Task<bool> Acquire() => Acquire(null!);

    /// <summary>
    /// True when this owner holds the lease (free, expired by PostgreSQL's clock, or already its
    /// own), false when another owner holds it unexpired; fails with a <see cref="LeaseException"/>
    /// when the database did not answer within the operation timeout (the lease may then be held:
    /// acquire again). <paramref name="leaseLostCallback"/> runs at most once, if the lease is lost.
    /// </summary>
    public override Task<bool> Acquire(Action<Exception> leaseLostCallback) =>
        Ask(new PostgresLeaseActor.Acquire(leaseLostCallback), "acquire");

    /// <summary>
    /// Stops trusting the lease, then frees it if it is still this owner's; true when it was freed.
    /// The lost callback is not invoked for a release.
    /// </summary>
    public override Task<bool> Release() => Ask(PostgresLeaseActor.Release.Instance, "release");

    private async Task<bool> Ask(object message, string what)
    {
        try
        {
            return await _actor.Ask<bool>(message, _askTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new LeaseTimeoutException($"Timed out trying to {what} lease [{Settings.LeaseName}, {Settings.OwnerName}]");
        }
    }

    private static string? JournalWriter(LeaseSettings settings)
    {
        var writer = settings.LeaseConfig.GetString("journal-writer", null);
        if (string.IsNullOrEmpty(writer))
        {
            return null;
        }

        return JournalFence.IsValidWriter(writer)
            ? writer
            : throw new ConfigurationException($"{settings}: journal-writer must be 1 to {JournalFence.MaxWriterLength} of A-Z a-z 0-9 . _ - : @");
    }

    private static TimeSpan SafetyMargin(LeaseSettings settings)
    {
        var value = settings.LeaseConfig.GetString("safety-margin", null);
        // Today's shard leases use 20 %: the headroom for the two clocks' rates.
        return string.IsNullOrWhiteSpace(value)
            ? settings.TimeoutSettings.HeartbeatTimeout / 5
            : settings.LeaseConfig.GetTimeSpan("safety-margin");
    }
}
