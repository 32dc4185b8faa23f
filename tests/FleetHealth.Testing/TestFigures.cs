namespace FleetHealth.Testing;

/// <summary>
/// Figures a test measures (e.g. a failover time) as <c>name: value</c> lines in
/// <c>test-output/{file}.txt</c>: scripts/test.sh prints them, since the test runner shows a
/// passing test's output to nobody.
/// </summary>
public static class TestFigures
{
    public static void Write(string file, string line)
    {
        var folder = RepoPaths.Combine("test-output");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"{file}.txt"), line + Environment.NewLine);
    }
}
