using Microsoft.AspNetCore.Mvc.Testing;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// The in-memory server factory every test uses, the one place to change how all of them host
/// the server. Hosts of parallel test classes start concurrently: a factory takes for its own only
/// hosts built in its entry point's context, and the server builds its second host (the cluster
/// endpoint) outside that context (see <see cref="HostDiscoveryTests"/>).
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>;
