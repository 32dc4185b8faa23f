using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Projection;

namespace FleetHealth.Server.Hosting;

/// <summary>A job the server dll runs instead of serving (same configuration, same services), then exits with its code.</summary>
public sealed record ServerCommand(string Name, Func<IServiceProvider, Task<int>> RunAsync);

/// <summary>
/// The server's commands: <c>rebuild-read-model</c>, <c>create-admin &lt;user&gt; [--reset]</c>,
/// <c>create-ingest-key &lt;name&gt; [--tag T]</c>. Their own arguments are taken off the command line
/// before the host reads the rest as configuration (<c>--Database:ConnectionString=…</c> still works).
/// </summary>
public static class ServerCommands
{
    public const int BadArguments = 2;

    /// <summary>The command named by the first argument, or null to serve; <paramref name="hostArgs"/> is what is left for the host.</summary>
    public static ServerCommand? Parse(string[] args, out string[] hostArgs)
    {
        hostArgs = args;
        if (args.Length == 0)
        {
            return null;
        }

        var rest = args[1..];
        switch (args[0])
        {
            case RebuildCommand.Name:
                hostArgs = rest;
                return new ServerCommand(RebuildCommand.Name, RebuildCommand.RunAsync);
            case CreateAdminCommand.Name:
                var reset = Flag(ref rest, "--reset");
                var user = Positional(ref rest);
                hostArgs = rest;
                return new ServerCommand(CreateAdminCommand.Name, services => CreateAdminCommand.RunAsync(services, user, reset));
            case CreateIngestKeyCommand.Name:
                var tag = Option(ref rest, "--tag");
                var name = Positional(ref rest);
                hostArgs = rest;
                return new ServerCommand(CreateIngestKeyCommand.Name, services => CreateIngestKeyCommand.RunAsync(services, name, tag));
            default:
                return null;
        }
    }

    /// <summary>Prints a usage error for a command and returns the exit code for it.</summary>
    public static int Usage(string usage, string problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine($"usage: dotnet FleetHealth.Server.dll {usage}");
        return BadArguments;
    }

    private static bool Flag(ref string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return false;
        }

        args = [.. args[..i], .. args[(i + 1)..]];
        return true;
    }

    private static string? Option(ref string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0 || i + 1 >= args.Length)
        {
            return null;
        }

        var value = args[i + 1];
        args = [.. args[..i], .. args[(i + 2)..]];
        return value;
    }

    /// <summary>The first argument that is not an option (options start with - or /, or hold =).</summary>
    private static string? Positional(ref string[] args)
    {
        var i = Array.FindIndex(args, a => a.Length > 0 && a[0] is not ('-' or '/') && !a.Contains('=', StringComparison.Ordinal));
        if (i < 0)
        {
            return null;
        }

        var value = args[i];
        args = [.. args[..i], .. args[(i + 1)..]];
        return value;
    }
}
