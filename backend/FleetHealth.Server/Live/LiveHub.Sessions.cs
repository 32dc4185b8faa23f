using Npgsql;

namespace FleetHealth.Server.Live;

/// <summary>Connections end with their sessions: a websocket outlives the request that authenticated it.</summary>
internal sealed partial class LiveHub
{
    /// <summary>
    /// Closes (1008) every connection whose session is no longer open: signed out on any node,
    /// expired, or its operator disabled. One query for all of this node's connections. When the
    /// sessions cannot be read, connections stay open until the next check (the database being
    /// down is not a reason to cut dashboards that are showing that).
    /// </summary>
    private async Task EndClosedSessionsAsync(CancellationToken cancellationToken)
    {
        var clients = _clients.Values.Where(c => c.Session is not null).ToList();
        if (clients.Count == 0)
        {
            return;
        }

        HashSet<string> open;
        try
        {
            open = await _sessions.StillOpenAsync([.. clients.Select(c => c.Session!).DistinctBy(Convert.ToHexString)], DateTimeOffset.UtcNow, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            LogSessionCheckFailed(e.Message);
            return;
        }

        foreach (var client in clients.Where(c => !open.Contains(Convert.ToHexString(c.Session!))))
        {
            LogSessionEnded(client.Id);
            client.EndSession();
        }
    }

    [LoggerMessage(LogLevel.Information, "Live client {ClientId}: its session ended; closing")]
    private partial void LogSessionEnded(long clientId);

    [LoggerMessage(LogLevel.Warning, "Live connections' sessions could not be checked: {Reason}")]
    private partial void LogSessionCheckFailed(string reason);
}
