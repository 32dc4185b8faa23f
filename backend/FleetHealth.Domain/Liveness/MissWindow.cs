namespace FleetHealth.Domain.Liveness;

/// <summary>
/// The last expected beats, newest in bit 0: 1 for missed, 0 for received. Feeds the flap-safe
/// rule "late when N of the last M were missed" in 4 bytes per sensor.
/// </summary>
public readonly record struct MissWindow(uint Bits)
{
    public const int MaxWindow = 32;

    /// <summary>Records <paramref name="missed"/> skipped beats, then the one that arrived.</summary>
    public MissWindow Record(int missed)
    {
        var bits = Bits;
        for (var i = 0; i < Math.Min(missed, MaxWindow); i++)
        {
            bits = (bits << 1) | 1;
        }

        return new MissWindow(bits << 1);
    }

    public int MissedOfLast(int window) =>
        System.Numerics.BitOperations.PopCount(window >= MaxWindow ? Bits : Bits & ((1u << window) - 1));
}
