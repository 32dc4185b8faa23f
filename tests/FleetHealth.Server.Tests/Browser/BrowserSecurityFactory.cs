using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Browser;

/// <summary>
/// The in-memory server as a browser meets it: one extra allowed origin (a dashboard served from
/// elsewhere) and a dashboard root of its own (a bare index.html), so the app's headers can be
/// checked without a frontend build.
/// </summary>
public sealed class BrowserSecurityFactory : FleetHealthFactory
{
    /// <summary>The origin the server sees itself as: the test client's base address.</summary>
    public const string OwnOrigin = "http://localhost";

    /// <summary>Configured in <c>Auth:AllowedOrigins</c>, as for a dashboard behind a proxy.</summary>
    public const string AllowedOrigin = "https://dashboard.example:8443";

    public BrowserSecurityFactory() : this(Directory.CreateTempSubdirectory("fleethealth-dashboard-").FullName)
    {
    }

    private BrowserSecurityFactory(string dashboardRoot)
        : base(new Dictionary<string, string>
        {
            ["Auth:AllowedOrigins:0"] = AllowedOrigin,
            ["Dashboard:Root"] = WriteIndex(dashboardRoot),
        })
    {
        DashboardRoot = dashboardRoot;
    }

    public string DashboardRoot { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(DashboardRoot, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string WriteIndex(string root)
    {
        File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>FleetHealth</title><div id=\"root\"></div>\n");
        return root;
    }
}
