namespace FleetHealth.Server.Dashboard;

/// <summary>Configuration section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Folder of the built React app (frontend/dist); empty: look for it beside the server, then in the source tree.</summary>
    public string Root { get; set; } = "";
}
