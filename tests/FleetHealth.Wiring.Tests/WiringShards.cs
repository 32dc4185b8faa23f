namespace FleetHealth.Wiring.Tests;

/// <summary>The shard count of the wiring tests' regions.</summary>
internal static class WiringShards
{
    public const int Count = 100;
}
