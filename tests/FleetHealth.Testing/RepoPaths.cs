namespace FleetHealth.Testing;

/// <summary>Finds the repository from a test's output folder (tests run from bin/…).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FleetHealth.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FleetHealth.sln above {AppContext.BaseDirectory}.");
    }
}
