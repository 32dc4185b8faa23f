namespace FleetHealth.Server.Auth;

/// <summary>
/// What an operator may do. Each role includes the ones before it: a viewer reads everything
/// operator-facing, an operator also changes sensors, an admin also manages operators and ingest keys.
/// </summary>
public static class OperatorRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    public static bool IsValid(string? role) => role is Viewer or Operator or Admin;
}
