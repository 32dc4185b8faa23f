namespace FleetHealth.Server.Projection;

/// <summary>
/// A journal feed failed or ended: the cursor is spent. An <see cref="InvalidOperationException"/>,
/// so the projection treats it like a database failure: it logs, backs off, and opens a new cursor
/// from its stored offset.
/// </summary>
public sealed class JournalFeedException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
