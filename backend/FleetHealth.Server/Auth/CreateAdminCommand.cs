using FleetHealth.Database;
using FleetHealth.Server.Hosting;

namespace FleetHealth.Server.Auth;

/// <summary>
/// <c>FleetHealth.Server create-admin &lt;user&gt; [--reset]</c>: the first admin of a new database
/// (after that, admins create operators through the API). Prints <c>admin-user: …</c> and
/// <c>admin-password: …</c> with a generated password, shown this once. An existing user is left
/// alone (exit 1) unless <c>--reset</c>: then it becomes an enabled admin with a new password and
/// its sessions end.
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";
    public const int Exists = 1;
    private const string Usage = "create-admin <user> [--reset]";
    private const string CreatedBy = "command line";

    public static async Task<int> RunAsync(IServiceProvider services, string? user, bool reset)
    {
        if (!OperatorName.TryNormalize(user, out var name, out var error))
        {
            return ServerCommands.Usage(Usage, user is null ? "give the admin's user name." : error);
        }

        await services.GetRequiredService<Migrator>().MigrateAsync();
        var operators = services.GetRequiredService<OperatorStore>();
        var password = Passwords.Generate();
        var hash = await services.GetRequiredService<Passwords>().HashAsync(password, CancellationToken.None);
        if (await operators.CreateAsync(name, OperatorRoles.Admin, hash, CreatedBy, CancellationToken.None) is null)
        {
            if (!reset)
            {
                await Console.Error.WriteLineAsync($"error: operator '{name}' exists already; --reset makes it an enabled admin with a new password.");
                return Exists;
            }

            await operators.UpdateAsync(name, new OperatorChange(OperatorRoles.Admin, hash, Disabled: false), CancellationToken.None);
        }

        Console.WriteLine($"admin-user: {name}");
        Console.WriteLine($"admin-password: {password}");
        return 0;
    }
}
