namespace FleetHealth.Server.Tests.Truth;

/// <summary>One planned heartbeat: when it is sent (server receive time, on the grid), its sequence number, and whether it reports a fault.</summary>
internal sealed record PlannedBeat(DateTimeOffset At, long Sequence, bool Fault);

/// <summary>One transition the liveness rules must produce for the plan.</summary>
internal sealed record Transition(string SensorId, string From, string To, DateTimeOffset At);

/// <summary>What one generated sensor does: its tags and expected timing, whether it is provisioned first, its beats, its retirement.</summary>
internal sealed class SensorPlan(string id, string[] tags, int intervalSeconds, int graceSeconds, bool provisioned)
{
    public string Id => id;

    public string[] Tags => tags;

    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(intervalSeconds);

    public TimeSpan Grace { get; } = TimeSpan.FromSeconds(graceSeconds);

    public bool Provisioned => provisioned;

    public List<PlannedBeat> Beats { get; } = [];

    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>
/// A fleet whose true answers are known by construction: sensors beat on a one-minute grid with
/// planned gaps (each followed by at least six regular beats, so that the flap-safe window holds
/// only that gap's misses), faults, lost sequence numbers, a reboot, deaths and retirements.
/// The truth is computed here from the plan with the documented rules (late at interval + grace,
/// stale at 10 minutes, dead at the configured hour, late while 2 of the last 5 expected beats were
/// missed once late), independently of the server's code.
/// </summary>
internal sealed class GeneratedFleet
{
    public const int StaleSeconds = 600;
    public const int DeadSeconds = 3600;
    public const string SlowTag = "truth-slow";
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(1);
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public GeneratedFleet(int seed, int sensors, int steps)
    {
        var random = new Random(seed);
        Steps = steps;
        End = T0 + (steps * Step) + TimeSpan.FromSeconds(7); // off the grid: no deadline falls on it
        for (var i = 0; i < sensors; i++)
        {
            Sensors.Add(Plan(random, i));
        }
    }

    public int Steps { get; }

    public DateTimeOffset End { get; }

    public List<SensorPlan> Sensors { get; } = [];

    /// <summary>Every instant something is sent, in order, with the beats sent then.</summary>
    public IEnumerable<(DateTimeOffset At, List<(SensorPlan Sensor, PlannedBeat Beat)> Beats)> Schedule() =>
        Sensors.SelectMany(s => s.Beats.Select(b => (Sensor: s, Beat: b)))
            .GroupBy(x => x.Beat.At)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.ToList()));

    /// <summary>The transitions the rules must make for <paramref name="sensor"/> up to <see cref="End"/>.</summary>
    public List<Transition> TransitionsOf(SensorPlan sensor)
    {
        var result = new List<Transition>();
        var current = "registered";
        void To(string to, DateTimeOffset at)
        {
            result.Add(new Transition(sensor.Id, current, to, at));
            current = to;
        }

        var late = sensor.Interval + sensor.Grace;
        var stale = TimeSpan.FromSeconds(Math.Max(StaleSeconds, late.TotalSeconds));
        var dead = TimeSpan.FromSeconds(Math.Max(DeadSeconds, stale.TotalSeconds));
        void Silence(DateTimeOffset from, DateTimeOffset until)
        {
            foreach (var (after, state) in new[] { (late, "late"), (stale, "stale"), (dead, "dead") })
            {
                if (from + after < until)
                {
                    To(state, from + after);
                }
            }
        }

        PlannedBeat? previous = null;
        DateTimeOffset? healthyAgainAt = null;
        foreach (var beat in sensor.Beats)
        {
            if (previous is not null && beat.At - previous.At >= late)
            {
                Silence(previous.At, beat.At);
                var missed = Math.Min(32, (int)((beat.At - previous.At - sensor.Grace).Ticks / sensor.Interval.Ticks));
                if (missed == 1)
                {
                    To("healthy", beat.At);
                }
                else
                {
                    if (current != "late")
                    {
                        To("late", beat.At);
                    }

                    healthyAgainAt = beat.At + (3 * sensor.Interval); // the fourth beat back
                }
            }
            else if (beat.Fault)
            {
                To("fault", beat.At);
            }
            else if (current is "registered" or "fault" || beat.At == healthyAgainAt)
            {
                To("healthy", beat.At);
            }

            previous = beat;
        }

        if (sensor.RetiredAt is { } retired)
        {
            To("retired", retired);
        }
        else if (previous is not null)
        {
            Silence(previous.At, End);
        }

        return result;
    }

    private SensorPlan Plan(Random random, int index)
    {
        var slow = index % 5 == 4;
        string[] site = [(index % 3) switch { 0 => "truth-north", 1 => "truth-south", _ => "" }];
        var tags = site.Where(t => t.Length > 0).Concat(slow ? [SlowTag] : []).ToArray();
        var provisioned = slow || index % 2 == 0 || index == 1; // tags need a known sensor: provision, then set them
        var plan = new SensorPlan($"truth-{index:D2}", provisioned ? tags : [], slow ? 120 : 60, slow ? 60 : 30, provisioned);
        if (index == 1)
        {
            return plan; // provisioned and never heard from
        }

        var period = slow ? 2 : 1;
        var ending = (index % 7) switch { 2 => "dies", 5 => "retires", _ => "lives" };
        var lastStep = ending switch
        {
            "dies" => random.Next(40, 90),
            "retires" => random.Next(60, Steps - 10),
            _ => Steps,
        };
        var step = random.Next(0, 10);
        var sequence = (long)random.Next(1, 1000);
        var regular = 0;
        var rebooted = false;
        while (step <= lastStep)
        {
            var fault = false;
            var nextGap = period;
            if (regular >= 6 && step + (20 * period) < lastStep)
            {
                switch (random.Next(8))
                {
                    case 0:
                        // 2, 3 or 4 periods (1 to 3 missed beats), or 12 minutes (stale); never exactly the stale threshold.
                        nextGap = period * (slow ? new[] { 2, 3, 4, 6 }[random.Next(4)] : new[] { 2, 3, 4, 12 }[random.Next(4)]);
                        break;
                    case 1:
                        fault = true;
                        break;
                }
            }

            plan.Beats.Add(new PlannedBeat(T0 + (step * Step), sequence, fault));
            regular = nextGap == period && !fault ? regular + 1 : 0;
            step += nextGap;
            var lost = random.Next(10) == 0 ? random.Next(1, 4) : 0;
            if (!rebooted && index == 3 && plan.Beats.Count == 30)
            {
                sequence = 0; // a reboot: the counter starts again, no loss
                rebooted = true;
            }
            else
            {
                sequence += 1 + lost;
            }
        }

        if (ending == "retires")
        {
            plan.RetiredAt = plan.Beats[^1].At + TimeSpan.FromSeconds(30);
        }

        return plan;
    }
}
