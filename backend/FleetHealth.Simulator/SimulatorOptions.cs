using System.Globalization;
using FleetHealth.Serial;

namespace FleetHealth.Simulator;

/// <summary>Everything the command line can say; <see cref="SimulatorArgs.Parse"/> builds and validates it.</summary>
internal sealed record SimulatorOptions
{
    public const int MaxSensors = 100_000;

    /// <summary>The first server; with several (<c>--url a,b,c</c>), <see cref="Urls"/> holds them all.</summary>
    public Uri? Url => Urls.Count > 0 ? Urls[0] : null;

    /// <summary>Servers to spread the beats over (nodes of one cluster: any node accepts any sensor).</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    public int Sensors { get; init; } = 100;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public double Jitter { get; init; } = 0.2;

    public double Dropout { get; init; }

    public double Fault { get; init; }

    public double DeathRate { get; init; }

    public int Seed { get; init; } = 42;

    public string Prefix { get; init; } = "sim-";

    public string? Key { get; init; }

    /// <summary>0: one request per beat (<c>POST /api/v1/heartbeats/{id}</c>); N: arrays of up to N beats.</summary>
    public int Batch { get; init; }

    public string? SerialDevice { get; init; }

    public int Baud { get; init; } = 115_200;

    public string? QueueDir { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>After <see cref="Duration"/> ends, how long to keep replaying the offline queue before exiting.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public int Concurrency { get; init; } = 32;

    public TimeSpan Report { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First sequence number of every sensor; by default <see cref="VirtualFleet.DefaultSequenceStart"/>, so reruns keep counting up.</summary>
    public long? SequenceStart { get; init; }
}

/// <summary>Parses and validates the command line; every fault is a sentence for stderr (exit code 2).</summary>
internal static class SimulatorArgs
{
    public const string Usage = """
        FleetHealth.Simulator: drives N virtual sensors against a FleetHealth server.

          --url URL[,URL…]     server base address (http://127.0.0.1:8080); several (cluster nodes) share the beats in turn
          --serial DEVICE      write line-protocol heartbeats to a serial device instead (e.g. /dev/pts/3)
          --baud N             serial baud rate (default 115200)
          --sensors N          number of sensors, 1 to 100000 (default 100)
          --interval D         per-sensor interval, e.g. 10s, 500ms, 2m (default 10s)
          --jitter F           interval jitter as a fraction 0 to 0.9 (default 0.2)
          --dropout P          probability a beat is skipped (default 0)
          --fault P            probability a beat reports status=fault (default 0)
          --death-rate P       probability per beat that a sensor dies for good (default 0)
          --seed N             random seed for repeatable runs (default 42)
          --prefix S           sensor id prefix (default sim-)
          --key K              ingest key, sent as Authorization: Bearer K (default: $FLEETHEALTH_INGEST_KEY)
          --batch N            send arrays of up to N beats to POST /api/v1/heartbeats (default: one request per beat)
          --concurrency N      concurrent HTTP requests, 1 to 1024 (default 32)
          --queue-dir DIR      offline queue: beats that cannot be delivered are kept on disk and replayed in order
          --duration D         stop generating after D (default: run until Ctrl-C)
          --drain D            after --duration, keep replaying the queue for at most D (default 10s)
          --report D           summary period (default 10s)
          --seq-start N        first sequence number (default: shortest intervals since the Unix epoch, so reruns count up)
        """;

    /// <summary>The environment variable that gives the ingest key when --key does not (keeps it out of process listings).</summary>
    public const string KeyVariable = "FLEETHEALTH_INGEST_KEY";

    /// <summary>
    /// Returns the options, or null with <paramref name="error"/> set (or with <paramref name="help"/> true).
    /// <paramref name="environmentKey"/> (<see cref="KeyVariable"/>'s value) is the key of an HTTP run without --key.
    /// </summary>
    public static SimulatorOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help, string? environmentKey = null)
    {
        error = null;
        help = false;
        var o = new SimulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                help = true;
                return null;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Unexpected argument '{name}'.";
                return null;
            }

            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }

            if (value is null)
            {
                error = $"{name} needs a value.";
                return null;
            }

            o = Apply(o, name, value, out error);
            if (o is null)
            {
                return null;
            }
        }

        if (o.Key is null && o.SerialDevice is null && !string.IsNullOrEmpty(environmentKey))
        {
            o = Apply(o, "--key", environmentKey, out error);
            if (o is null)
            {
                error = $"{KeyVariable}: {error}";
                return null;
            }
        }

        error = Validate(o);
        return error is null ? o : null;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || value * unit > 365 * 86400)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }

    private static SimulatorOptions? Apply(SimulatorOptions o, string name, string value, out string? error)
    {
        error = null;
        switch (name)
        {
            case "--url":
                var urls = new List<Uri>();
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                    {
                        error = $"--url '{part}' is not an absolute http:// or https:// address.";
                        return null;
                    }

                    urls.Add(url);
                }

                return o with { Urls = urls };
            case "--serial":
                return o with { SerialDevice = value };
            case "--baud":
                return Int(name, value, 1, int.MaxValue, out var baud, out error) ? o with { Baud = baud } : null;
            case "--sensors":
                return Int(name, value, 1, SimulatorOptions.MaxSensors, out var sensors, out error) ? o with { Sensors = sensors } : null;
            case "--interval":
                return Duration(name, value, TimeSpan.FromMilliseconds(10), out var interval, out error) ? o with { Interval = interval } : null;
            case "--jitter":
                return Fraction(name, value, 0.9, out var jitter, out error) ? o with { Jitter = jitter } : null;
            case "--dropout":
                return Fraction(name, value, 1, out var dropout, out error) ? o with { Dropout = dropout } : null;
            case "--fault":
                return Fraction(name, value, 1, out var fault, out error) ? o with { Fault = fault } : null;
            case "--death-rate":
                return Fraction(name, value, 1, out var death, out error) ? o with { DeathRate = death } : null;
            case "--seed":
                return Int(name, value, int.MinValue, int.MaxValue, out var seed, out error) ? o with { Seed = seed } : null;
            case "--prefix":
                return o with { Prefix = value };
            case "--key":
                if (value.Length == 0 || value.Any(char.IsWhiteSpace))
                {
                    error = "--key must be non-empty without spaces.";
                    return null;
                }

                return o with { Key = value };
            case "--batch":
                return Int(name, value, 1, 10_000, out var batch, out error) ? o with { Batch = batch } : null;
            case "--concurrency":
                return Int(name, value, 1, 1024, out var concurrency, out error) ? o with { Concurrency = concurrency } : null;
            case "--queue-dir":
                if (string.IsNullOrWhiteSpace(value))
                {
                    error = "--queue-dir must name a directory.";
                    return null;
                }

                return o with { QueueDir = value };
            case "--duration":
                return Duration(name, value, TimeSpan.FromMilliseconds(1), out var duration, out error) ? o with { Duration = duration } : null;
            case "--drain":
                return Duration(name, value, TimeSpan.Zero, out var drain, out error) ? o with { Drain = drain } : null;
            case "--report":
                return Duration(name, value, TimeSpan.FromMilliseconds(100), out var report, out error) ? o with { Report = report } : null;
            case "--seq-start":
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
                {
                    error = $"--seq-start '{value}' is not a whole number of 0 or more.";
                    return null;
                }

                return o with { SequenceStart = start };
            default:
                error = $"Unknown option {name} (see --help).";
                return null;
        }
    }

    private static string? Validate(SimulatorOptions o)
    {
        if (o.Url is null && o.SerialDevice is null)
        {
            return "Give --url (HTTP) or --serial (a serial device).";
        }

        if (o.Url is not null && o.SerialDevice is not null)
        {
            return "Give either --url or --serial, not both.";
        }

        if (o.SerialDevice is not null && !SerialBaud.IsStandard(o.Baud))
        {
            return $"--baud {SerialBaud.NotStandard(o.Baud)}";
        }

        if (o.SerialDevice is not null && (o.Batch > 0 || o.Key is not null))
        {
            return "--batch and --key apply to HTTP only.";
        }

        var width = Math.Max(5, o.Sensors.ToString(CultureInfo.InvariantCulture).Length);
        if (o.Prefix.Length + width > 128)
        {
            return "--prefix is too long: sensor ids must stay within 128 characters.";
        }

        if (o.Prefix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-')))
        {
            return "--prefix may only hold A-Z a-z 0-9 . _ : - (the characters of a sensor id).";
        }

        return null;
    }

    private static bool Int(string name, string value, int min, int max, out int result, out string? error)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result) || result < min || result > max)
        {
            error = $"{name} '{value}' must be a whole number from {min} to {max}.";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Fraction(string name, string value, double max, out double result, out string? error)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out result) || !(result >= 0 && result <= max))
        {
            error = $"{name} '{value}' must be a number from 0 to {max.ToString(CultureInfo.InvariantCulture)}.";
            return false;
        }

        error = null;
        return true;
    }

    private static bool Duration(string name, string value, TimeSpan min, out TimeSpan result, out string? error)
    {
        if (!TryParseDuration(value, out result) || result < min)
        {
            error = $"{name} '{value}' must be a duration of at least {min.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms, e.g. 10s, 500ms, 2m.";
            return false;
        }

        error = null;
        return true;
    }
}
