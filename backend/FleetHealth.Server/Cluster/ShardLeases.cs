using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// The shard leases this node holds, as far as this node can prove them, and the gate in front of
/// each shard's actors. Read on every message and every journal batch, without locks; changed only
/// by the <see cref="ShardCoordinator"/>.
/// </summary>
/// <remarks>
/// <para><b>At most one writer per shard.</b> A lease is granted and renewed in PostgreSQL, which
/// sets <c>expires_at = clock_timestamp() + Lease</c>; another node may take it only once
/// <c>expires_at &lt;= clock_timestamp()</c>, i.e. by PostgreSQL's clock alone. Node clocks are never
/// compared with each other or with PostgreSQL's.</para>
/// <para><b>Self-fencing by the monotonic clock.</b> Before sending a renewal (or acquisition) the
/// node reads its monotonic clock: <c>t0</c>. PostgreSQL evaluates <c>clock_timestamp()</c> after the
/// statement arrives, so the new <c>expires_at</c> is at least <c>Lease</c> after the real instant
/// <c>t0</c>. The node treats the lease as valid until <c>t0 + Lease - SafetyMargin</c> on its own
/// monotonic clock (<see cref="TimeProvider.GetTimestamp"/>, never the wall clock), whatever the
/// answer's delay. So it stops delivering messages and refuses the shard's journal writes at least
/// <c>SafetyMargin</c> before any other node can take the lease, as long as the two clocks'
/// rates differ by less than <c>SafetyMargin / Lease</c> (20 % with the defaults; real clocks drift
/// by parts per million) and PostgreSQL's clock is not stepped forward by more than the margin
/// (run it with a slewing NTP client).</para>
/// <para><b>The journal is the last guard.</b> The local check is what makes a cut-off node stop on
/// time; what makes a stale write impossible even if a process is paused past its lease (GC, VM
/// freeze) is the journal batch's own check: in the batch's transaction it locks the lease rows
/// <c>FOR KEY SHARE</c> and verifies owner, incarnation, epoch and expiry; takeovers and handoffs
/// lock the rows <c>FOR UPDATE</c>, which conflicts, so either the write commits before the new
/// lease exists (and the new owner recovers it) or it sees the new lease and is refused. The
/// unique key (persistence_id, sequence_nr) still stops two writers of one stream.</para>
/// </remarks>
public sealed class ShardLeases
{
    private readonly Slot[] _slots;
    private readonly TimeProvider _clock;
    private readonly long _servedFor;
    private long _releases;

    public ShardLeases(IOptions<ClusterOptions> options, TimeProvider clock)
    {
        var o = options.Value;
        _clock = clock;
        _slots = [.. Enumerable.Range(0, o.Shards).Select(_ => new Slot())];
        _servedFor = (long)((o.Lease - o.SafetyMargin).TotalSeconds * clock.TimestampFrequency);
    }

    /// <summary>The number of shards of the cluster.</summary>
    public int Count => _slots.Length;

    /// <summary>Pulsed whenever a shard opens, closes or changes hands here.</summary>
    internal ChangeSignal Changed { get; } = new();

    /// <summary>Shards this node holds a lease on now.</summary>
    public int HeldCount => _slots.Count(s => s.Lease is not null);

    /// <summary>A monotonic reading taken before a renewal or acquisition is sent (<c>t0</c> above).</summary>
    internal long Now() => _clock.GetTimestamp();

    /// <summary>
    /// Counts shards let go here (handed over, lost, left). Read before sending a renewal: an answer
    /// sent before a shard was let go must not bring it back (see <see cref="Grant"/>).
    /// </summary>
    internal long Releases => Interlocked.Read(ref _releases);

    /// <summary>
    /// Admits one message into the shard's actors if the shard is open here and its lease provably
    /// current; the caller must <see cref="Exit"/> afterwards. A handoff or fence waits for admitted
    /// messages to finish before it stops the actors, so nothing slips past it.
    /// </summary>
    public bool TryEnter(int shard)
    {
        var slot = _slots[shard];
        Interlocked.Increment(ref slot.InFlight);
        if (slot.Open && slot.Lease is { } lease && Now() < lease.ServeUntil)
        {
            return true;
        }

        Interlocked.Decrement(ref slot.InFlight);
        return false;
    }

    public void Exit(int shard) => Interlocked.Decrement(ref _slots[shard].InFlight);

    /// <summary>
    /// Whether this node may write the shard's events now, and under which epoch. True while the
    /// lease is provably current, including during a handoff (the shard's last persists must land).
    /// </summary>
    public bool IsWritable(int shard, out long epoch)
    {
        if (_slots[shard].Lease is { } lease && Now() < lease.ServeUntil)
        {
            epoch = lease.Epoch;
            return true;
        }

        epoch = 0;
        return false;
    }

    internal HeldLease? Held(int shard) => _slots[shard].Lease;

    internal bool IsOpen(int shard) => _slots[shard].Open;

    internal bool IsBusy(int shard) => _slots[shard].Busy;

    internal int InFlight(int shard) => Volatile.Read(ref _slots[shard].InFlight);

    /// <summary>
    /// Records a lease granted or renewed by a statement sent at <paramref name="sentAt"/>. True if
    /// this node did not hold it provably before (new, another epoch, or lapsed meanwhile): its
    /// sensors must then be woken, since actors may have stopped on refused writes.
    /// </summary>
    internal bool Grant(int shard, long epoch, long sentAt, long releasesAtSend)
    {
        var slot = _slots[shard];
        if (slot.ReleasedAs > releasesAtSend)
        {
            return false; // let go after this answer was asked for: the answer is stale
        }

        var fresh = slot.Lease is null || slot.Lease.Epoch != epoch || Now() >= slot.Lease.ServeUntil;
        var serveUntil = sentAt + _servedFor;
        if (!fresh && slot.Lease!.ServeUntil >= serveUntil)
        {
            return false;
        }

        slot.Lease = new HeldLease(epoch, serveUntil);
        return fresh;
    }

    /// <summary>True if the shard's lease was granted or renewed by a statement sent before <paramref name="sentAt"/>.</summary>
    internal bool GrantedBefore(int shard, long sentAt) =>
        _slots[shard].Lease is { } lease && lease.ServeUntil - _servedFor < sentAt;

    /// <summary>Opens the gate: messages for the shard are delivered to its actors here.</summary>
    internal void Open(int shard)
    {
        _slots[shard].Open = true;
        Changed.Pulse();
    }

    /// <summary>Closes the gate and marks the shard busy (a fence or handoff is stopping its actors).</summary>
    internal void Close(int shard)
    {
        var slot = _slots[shard];
        slot.Open = false;
        slot.Busy = true;
    }

    /// <summary>The database says the lease is no longer this node's: no write may rely on it from now on.</summary>
    internal void Revoke(int shard)
    {
        _slots[shard].Lease = null;
        _slots[shard].ReleasedAs = Interlocked.Increment(ref _releases);
    }

    /// <summary>The fence or handoff is over; the shard is served again if still held, else forgotten.</summary>
    internal void Settle(int shard, bool keep)
    {
        var slot = _slots[shard];
        if (!keep)
        {
            Revoke(shard);
        }

        slot.Open = keep && slot.Lease is not null;
        slot.Busy = false;
        Changed.Pulse();
    }

    /// <summary>Shards whose lease this node can no longer prove and that are not being stopped yet.</summary>
    internal List<int> Lapsed()
    {
        var now = Now();
        var lapsed = new List<int>();
        for (var shard = 0; shard < _slots.Length; shard++)
        {
            var slot = _slots[shard];
            if (slot.Lease is { } lease && !slot.Busy && now >= lease.ServeUntil)
            {
                lapsed.Add(shard);
            }
        }

        return lapsed;
    }

    /// <summary>Shards held here (whether open or being stopped).</summary>
    internal List<int> HeldShards()
    {
        var held = new List<int>();
        for (var shard = 0; shard < _slots.Length; shard++)
        {
            if (_slots[shard].Lease is not null)
            {
                held.Add(shard);
            }
        }

        return held;
    }

    /// <summary>Monotonic time until the earliest held lease stops being provable (for the fence timer).</summary>
    internal TimeSpan UntilEarliestLapse()
    {
        var earliest = long.MaxValue;
        foreach (var slot in _slots)
        {
            if (slot.Lease is { } lease && !slot.Busy)
            {
                earliest = Math.Min(earliest, lease.ServeUntil);
            }
        }

        return earliest == long.MaxValue ? TimeSpan.MaxValue : _clock.GetElapsedTime(Now(), earliest);
    }

    private sealed class Slot
    {
        public volatile HeldLease? Lease;
        public volatile bool Open;
        public volatile bool Busy;
        public int InFlight;
        public long ReleasedAs;
    }
}

/// <summary>A lease as this node holds it: the grant's epoch and the monotonic instant until which this node may serve the shard.</summary>
internal sealed record HeldLease(long Epoch, long ServeUntil);
