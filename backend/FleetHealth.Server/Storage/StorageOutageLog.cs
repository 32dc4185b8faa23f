using System.Net.Sockets;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// One voice for storage outages. While PostgreSQL is unreachable every actor's recovery, every
/// journal write and every background loop fails at once; logged one by one with stack traces that
/// is tens of thousands of lines that all say the same thing. Failures are reported here instead:
/// the first one of an outage logs one warning (when, and the first error's message), the others
/// only count (per kind, at debug level one line each), and the first success afterwards logs one
/// line with the outage's length and counts. A failure that is not a connection problem is not
/// taken: <see cref="Failed"/> returns false and the caller logs it in full, as a bug deserves.
/// </summary>
public sealed class StorageOutageLog
{
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _kinds = [];
    private DateTimeOffset? _since;

    /// <summary>Creates the log; <paramref name="clock"/> times the outages.</summary>
    public StorageOutageLog(ILogger logger, TimeProvider clock)
    {
        _logger = logger;
        _clock = clock;
    }

    /// <summary>Whether an outage is going on (a failure was reported, no success since).</summary>
    public bool IsOutage => Volatile.Read(ref _outage);

    private bool _outage;

    /// <summary>
    /// Whether <paramref name="exception"/> says storage cannot be reached (a connection refused, lost
    /// or timed out, the server shutting down or full of connections) rather than that a statement is wrong.
    /// </summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // Connection exceptions, admin/crash shutdown, cannot connect now, too many connections.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                case IOException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reports a failure of <paramref name="kind"/> (a plural phrase: "recoveries failed", "journal
    /// writes refused"). True when it is an outage failure and has been accounted for here; false
    /// when it is something else, which the caller must log itself.
    /// </summary>
    public bool Failed(string kind, Exception exception)
    {
        if (!IsUnreachable(exception))
        {
            return false;
        }

        DateTimeOffset? started = null;
        lock (_gate)
        {
            if (_since is null)
            {
                _since = started = _clock.GetUtcNow();
                Volatile.Write(ref _outage, true);
            }

            if (_counts.TryGetValue(kind, out var count))
            {
                _counts[kind] = count + 1;
            }
            else
            {
                _counts[kind] = 1;
                _kinds.Add(kind);
            }
        }

        if (started is { } since)
        {
            _logger.LogWarning("Storage unreachable since {Since:yyyy-MM-ddTHH:mm:ss.fffZ} (first error: {Kind}: {Error}); further failures are counted until it is back",
                since.UtcDateTime, kind, Describe(exception));
        }
        else
        {
            _logger.LogDebug("During the storage outage: {Kind} ({Error})", kind, exception.Message);
        }

        return true;
    }

    /// <summary>Reports that storage answered; ends the outage, if any, with its one summary line. Cheap when there is none.</summary>
    public void Succeeded()
    {
        if (!Volatile.Read(ref _outage))
        {
            return;
        }

        TimeSpan length;
        string counts;
        lock (_gate)
        {
            if (_since is not { } since)
            {
                return;
            }

            length = _clock.GetUtcNow() - since;
            counts = string.Join(", ", _kinds.Select(k => $"{_counts[k]} {k}"));
            _since = null;
            _counts.Clear();
            _kinds.Clear();
            Volatile.Write(ref _outage, false);
        }

        _logger.LogWarning("Storage reachable again after {Seconds:0.0} s; during the outage: {Counts}", length.TotalSeconds, counts);
    }

    /// <summary>The message and, when it says more, the innermost cause's: no stack trace.</summary>
    private static string Describe(Exception exception)
    {
        var inner = exception.GetBaseException();
        return ReferenceEquals(inner, exception) || inner.Message == exception.Message ? exception.Message : $"{exception.Message} ({inner.Message})";
    }
}
