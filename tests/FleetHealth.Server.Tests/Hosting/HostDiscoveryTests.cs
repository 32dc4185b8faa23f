using System.Collections.Concurrent;
using System.Diagnostics;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// WebApplicationFactory finds the application's host with HostFactoryResolver: a listener on the
/// hosting diagnostics, scoped by an AsyncLocal that flows into the entry point's thread, which
/// configures (TestServer instead of Kestrel) every host built in that scope until the thread
/// waiting for the host wakes and unsubscribes. A second host built in the entry point's context
/// while that thread has not woken yet (the cluster endpoint's embedded Kestrel, during start) was
/// given a TestServer and failed with no bound address: CI's "Sequence contains no elements" in
/// ClusterEndpoint.StartAsync. This listener stays subscribed for the whole start, so the race
/// becomes certain: only the application's own host may be built in the entry point's context.
/// </summary>
public sealed class HostDiscoveryTests
{
    [Fact]
    public async Task Only_the_applications_own_host_is_built_in_its_entry_points_context()
    {
        using var listener = new ScopedHostingListener();
        listener.EnterScope();
        var factory = new FleetHealthFactory();
        try
        {
            await ((IAsyncLifetime)factory).InitializeAsync();

            Assert.Single(listener.HostsBuilding);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    /// <summary>Records the hosts built in its scope, as HostFactoryResolver's listener would configure them.</summary>
    private sealed class ScopedHostingListener : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private static readonly AsyncLocal<ScopedHostingListener?> Scope = new();
        private readonly ConcurrentBag<IDisposable> _subscriptions = [];
        private readonly IDisposable _allListeners;

        public ScopedHostingListener() => _allListeners = DiagnosticListener.AllListeners.Subscribe(this);

        public ConcurrentQueue<object?> HostsBuilding { get; } = new();

        public void EnterScope() => Scope.Value = this;

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (Scope.Value == this && value.Key == "HostBuilding")
            {
                HostsBuilding.Enqueue(value.Value);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _allListeners.Dispose();
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
