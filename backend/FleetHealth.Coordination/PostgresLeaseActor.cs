using Akka.Actor;
using Akka.Coordination;
using Akka.Event;

namespace FleetHealth.Coordination;

/// <summary>
/// The one place that talks to PostgreSQL for one <see cref="PostgresLease"/>: acquire, renew
/// every heartbeat-interval, release. Database calls are awaited inside the handlers
/// (<c>ReceiveAsync</c> suspends the mailbox), so operations never overlap and need no locks; each
/// is bounded by lease-operation-timeout and, for renewals, by the time the lease is still trusted.
/// </summary>
internal sealed class PostgresLeaseActor : ReceiveActor, IWithTimers
{
    private const string HeartbeatKey = "heartbeat";
    private const string DeadlineKey = "deadline";

    private readonly PostgresLeaseStore _store;
    private readonly LeaseSettings _settings;
    private readonly PostgresLeaseState _state;
    private readonly TimeSpan _trustedFor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _epoch;
    private bool _granted;
    private Action<Exception>? _lost;

    public PostgresLeaseActor(PostgresLeaseStore store, LeaseSettings settings, PostgresLeaseState state, TimeSpan trustedFor)
    {
        _store = store;
        _settings = settings;
        _state = state;
        _trustedFor = trustedFor;
        ReceiveAsync<Acquire>(OnAcquire);
        ReceiveAsync<Heartbeat>(_ => OnHeartbeat());
        Receive<Deadline>(_ => OnDeadline());
        ReceiveAsync<Release>(_ => OnRelease());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan Timeout => _settings.TimeoutSettings.OperationTimeout;

    public static Props Props(PostgresLeaseStore store, LeaseSettings settings, PostgresLeaseState state, TimeSpan trustedFor) =>
        Akka.Actor.Props.Create(() => new PostgresLeaseActor(store, settings, state, trustedFor));

    private async Task OnAcquire(Acquire acquire)
    {
        if (_granted && _state.IsTrusted)
        {
            // Acquire again (e.g. after the caller's ask timed out while we got it): still ours.
            _lost = acquire.LeaseLost ?? _lost;
            Sender.Tell(true);
            return;
        }

        var replyTo = Sender;
        // t0 before sending: PostgreSQL stamps expires_at later than this, so trusting the lease
        // until t0 + trustedFor ends it at least safety-margin before anyone else may take it.
        var t0 = _state.Now();
        try
        {
            var epoch = await Bounded(ct => _store.AcquireAsync(_settings.LeaseName, _settings.OwnerName, _settings.TimeoutSettings.HeartbeatTimeout, ct), Timeout);
            if (epoch is not { } acquired)
            {
                replyTo.Tell(false);
                return;
            }

            _epoch = acquired;
            _granted = true;
            _lost = acquire.LeaseLost;
            Trust(t0);
            Timers.StartPeriodicTimer(HeartbeatKey, Heartbeat.Instance, _settings.TimeoutSettings.HeartbeatInterval);
            _log.Debug("Lease [{0}] acquired by [{1}], epoch {2}", _settings.LeaseName, _settings.OwnerName, acquired);
            replyTo.Tell(true);
        }
        catch (Exception e)
        {
            replyTo.Tell(new Status.Failure(new LeaseException($"Acquiring lease [{_settings.LeaseName}] failed: {e.Message}", e)));
        }
    }

    private async Task OnHeartbeat()
    {
        if (!_granted)
        {
            return;
        }

        var t0 = _state.Now();
        // Never wait past the trusted time: by then the lease is lost whatever the answer.
        var left = _state.TrustedRemaining();
        if (left <= TimeSpan.Zero)
        {
            Lose(null, "not renewed in time");
            return;
        }

        try
        {
            var renewed = await Bounded(
                ct => _store.RenewAsync(_settings.LeaseName, _settings.OwnerName, _epoch, _settings.TimeoutSettings.HeartbeatTimeout, ct),
                left < Timeout ? left : Timeout);
            if (renewed)
            {
                Trust(t0);
            }
            else
            {
                Lose(null, "expired or taken by another owner");
            }
        }
        catch (Exception e)
        {
            // A failed renewal is retried at the next heartbeat while the lease is still trusted.
            if (!_state.IsTrusted)
            {
                Lose(e, "renewals failed until it expired");
            }
            else
            {
                _log.Warning("Renewing lease [{0}] failed, retrying: {1}", _settings.LeaseName, e.Message);
            }
        }
    }

    private void OnDeadline()
    {
        if (_granted && !_state.IsTrusted)
        {
            Lose(null, "not renewed in time");
        }
    }

    private async Task OnRelease()
    {
        if (!_granted)
        {
            Sender.Tell(false);
            return;
        }

        // Stop trusting before the row is freed: nobody can take it while we still serve.
        _granted = false;
        _state.Revoke();
        Timers.CancelAll();
        var replyTo = Sender;
        try
        {
            var released = await Bounded(ct => _store.ReleaseAsync(_settings.LeaseName, _settings.OwnerName, _epoch, ct), Timeout);
            replyTo.Tell(released);
        }
        catch (Exception e)
        {
            // Not released: it expires by itself after heartbeat-timeout.
            replyTo.Tell(new Status.Failure(new LeaseException($"Releasing lease [{_settings.LeaseName}] failed: {e.Message}", e)));
        }
    }

    private void Trust(long t0)
    {
        _state.TrustUntil(t0 + (long)(_trustedFor.TotalSeconds * _state.Frequency));
        Timers.StartSingleTimer(DeadlineKey, Deadline.Instance, _state.TrustedRemaining());
    }

    private void Lose(Exception? cause, string why)
    {
        _granted = false;
        _state.Revoke();
        Timers.CancelAll();
        _log.Warning("Lease [{0}] of [{1}] lost: {2}", _settings.LeaseName, _settings.OwnerName, why);
        var lost = _lost;
        _lost = null;
        try
        {
            lost?.Invoke(cause ?? new LeaseException($"Lease [{_settings.LeaseName}] lost: {why}"));
        }
        catch (Exception e)
        {
            _log.Error(e, "Lease-lost callback of [{0}] threw", _settings.LeaseName);
        }
    }

    // Npgsql's cancellation needs the server too (a cancel request), so a call on a black-holed
    // connection may outlive its token: the wait is bounded here, the call finishes in background.
    private static async Task<T> Bounded<T>(Func<CancellationToken, Task<T>> operation, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var task = operation(cts.Token);
        _ = task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return await task.WaitAsync(timeout);
    }

    internal sealed record Acquire(Action<Exception>? LeaseLost);

    internal sealed class Release
    {
        public static readonly Release Instance = new();
    }

    private sealed class Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed class Deadline
    {
        public static readonly Deadline Instance = new();
    }
}
