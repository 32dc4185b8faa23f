using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// The in-memory server factory every test uses: its hosts are built and started one at a time
/// across the whole run. A <see cref="WebApplicationFactory{TEntryPoint}"/> finds its host by
/// listening, process-wide, for the next host built (HostFactoryResolver's diagnostic listener).
/// While one factory waits, a host that another factory's server builds as it starts (the cluster
/// endpoint's own Kestrel) can be taken for it and given a TestServer instead of Kestrel: seen in
/// CI as two test classes failing at once in <c>ClusterEndpoint.StartAsync</c>, with no bound
/// address. The price is that server starts of parallel test classes queue behind each other.
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    private static readonly Lock HostStart = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostStart)
        {
            return base.CreateHost(builder);
        }
    }
}
