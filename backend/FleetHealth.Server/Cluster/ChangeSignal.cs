namespace FleetHealth.Server.Cluster;

/// <summary>Wakes everyone waiting for "something changed" (leases, routing): waiters take <see cref="Next"/>, then re-check.</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
