namespace FleetHealth.Simulator;

internal static class SimulatorProgram
{
    public static int Main() => 0;
}
