using System.Globalization;

namespace FleetHealth.Simulator;

/// <summary>Counters of one run, updated from many tasks.</summary>
internal sealed class SimulatorStats
{
    private long _sent;
    private long _acked;
    private long _failed;
    private long _rejected;
    private long _retries;
    private long _dropouts;
    private long _faults;
    private long _dead;

    /// <summary>Beats the sensors sent (dropouts excluded).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Beats the server acknowledged with 202 (or, on serial, that were written to the line).</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Beats lost for good: undeliverable without an offline queue.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Beats the server refused with a 4xx other than 429 (logged and dropped).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Delivery attempts (per beat) that failed for a retryable reason.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public long Dropouts => Interlocked.Read(ref _dropouts);

    public long Faults => Interlocked.Read(ref _faults);

    public long Dead => Interlocked.Read(ref _dead);

    public void Generated(bool fault)
    {
        Interlocked.Increment(ref _sent);
        if (fault)
        {
            Interlocked.Increment(ref _faults);
        }
    }

    public void DroppedOut() => Interlocked.Increment(ref _dropouts);

    public void Died() => Interlocked.Increment(ref _dead);

    public void AddAcked(int n) => Interlocked.Add(ref _acked, n);

    public void AddFailed(int n) => Interlocked.Add(ref _failed, n);

    public void AddRejected(int n) => Interlocked.Add(ref _rejected, n);

    public void AddRetries(int n) => Interlocked.Add(ref _retries, n);

    public string Summary(long queued) => string.Create(CultureInfo.InvariantCulture,
        $"{DateTime.UtcNow:HH:mm:ss} sent={Sent} acked={Acked} queued={queued} failed={Failed} rejected={Rejected} retries={Retries} dropouts={Dropouts} faults={Faults} dead={Dead}");
}
