using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Npgsql;

namespace FleetHealth.Coordination;

/// <summary>
/// One journal writer (one incarnation of a node) and the shards it may write, as the journal
/// fence of migration 0016 (a trigger on <c>akka.event_journal</c>) checks them: the journal
/// plugin's connection string declares them (<see cref="ApplyTo"/>), and the node's
/// <see cref="PostgresLease"/>s record the same <see cref="Writer"/> in each lease they acquire
/// (<see cref="LeaseConfig"/>).
/// </summary>
/// <remarks>
/// <para><b>Guarantee.</b> A statement of a fenced session stores its rows only if every row is a
/// sensor stream <c>sensor/{id}</c> whose shard's lease
/// (<c>{system}-shard-{type}-{fleethealth_shard_of(id, shards)}</c>) this writer holds unexpired by
/// PostgreSQL's clock; otherwise it fails with <see cref="NotHeldSqlState"/> (or
/// <see cref="MisconfiguredSqlState"/>) and its transaction stores nothing. A write that passed
/// the check holds the lease rows until it commits, and a change of hands waits for it, so a
/// new owner that has acquired a lease sees every event the previous writer stored under it.</para>
/// <para><b>Incarnations.</b> The writer must be new for every start of a node
/// (<see cref="NewWriter"/>): sharding names a lease's owner by the node's address, which a
/// restarted node reuses, so the address alone would let an old incarnation's sessions write
/// under the new one's leases.</para>
/// <para><b>The shard function.</b> Sharding must place sensor <c>id</c> in shard
/// <c>fleethealth_shard_of(id, shards)</c> (migration 0008: SHA-256 based); Akka's default
/// <c>HashCodeMessageExtractor</c> (MurmurHash of the UTF-16 string) is not that function.</para>
/// </remarks>
public sealed partial class JournalFence
{
    /// <summary>The custom setting naming a fenced session's writer; sessions without it are not fenced.</summary>
    public const string WriterSetting = "fleethealth.journal_writer";

    /// <summary>The lease-name prefix of the fenced session's shards (<c>{system}-shard-{type}-</c>).</summary>
    public const string LeasePrefixSetting = "fleethealth.journal_lease_prefix";

    /// <summary>The number of shards of the fenced session's entity type.</summary>
    public const string ShardsSetting = "fleethealth.journal_shards";

    /// <summary>
    /// A fenced session's <c>application_name</c> is this prefix and its writer: a node taking over
    /// a lease finds the previous writer's sessions by it (a custom setting is not visible to other
    /// sessions) and ends their open transactions.
    /// </summary>
    public const string ApplicationNamePrefix = "fleethealth-journal:";

    /// <summary>SQLSTATE of a fenced write refused: a row's shard lease is not held by this writer, or a row is not a sensor stream.</summary>
    public const string NotHeldSqlState = "ZF001";

    /// <summary>SQLSTATE of a fenced session without a valid lease prefix or shard count.</summary>
    public const string MisconfiguredSqlState = "ZF002";

    /// <summary>Longest writer: with <see cref="ApplicationNamePrefix"/> it fits <c>application_name</c> (63 bytes) untruncated.</summary>
    public const int MaxWriterLength = 40;

    /// <param name="writer">This incarnation's identity (<see cref="NewWriter"/>): 1–40 of <c>A-Z a-z 0-9 . _ - : @</c>.</param>
    /// <param name="systemName">The actor system's name (the first part of sharding's lease names).</param>
    /// <param name="typeName">The sharded entity type's name (e.g. <c>sensor</c>).</param>
    /// <param name="shards">The message extractor's number of shards.</param>
    public JournalFence(string writer, string systemName, string typeName, int shards)
    {
        if (!IsValidWriter(writer))
        {
            throw new ArgumentException($"A journal writer is 1 to {MaxWriterLength} of A-Z a-z 0-9 . _ - : @, not '{writer}'", nameof(writer));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        LeasePrefix = $"{systemName}-shard-{typeName}-";
        if (!SafeOption().IsMatch(LeasePrefix))
        {
            // Passed as a startup option, where blanks separate arguments.
            throw new ArgumentException($"System and type name must be of A-Z a-z 0-9 . _ - : @ for the journal fence, not '{LeasePrefix}'");
        }

        Writer = writer;
        Shards = shards;
    }

    /// <summary>This incarnation's writer identity, recorded by its leases and declared by its journal sessions.</summary>
    public string Writer { get; }

    /// <summary><c>{system}-shard-{type}-</c>: a shard's lease name is this and the shard id.</summary>
    public string LeasePrefix { get; }

    /// <summary>The number of shards the fence maps sensors onto.</summary>
    public int Shards { get; }

    /// <summary>The <c>application_name</c> of this writer's journal sessions.</summary>
    public string ApplicationName => ApplicationNamePrefix + Writer;

    /// <summary>
    /// The lease block's setting that makes every <see cref="PostgresLease"/> of the system record
    /// <see cref="Writer"/>; add it in front of <see cref="PostgresLease.DefaultConfig"/>.
    /// </summary>
    public Config LeaseConfig => ConfigurationFactory.ParseString($"{PostgresLease.ConfigPath}.journal-writer = \"{Writer}\"");

    /// <summary>A writer identity unique to this start: host, process id and 32 random bits, e.g. <c>node1-4711-9f3a0c2e</c>.</summary>
    public static string NewWriter()
    {
        var host = Unsafe().Replace(Environment.MachineName, "");
        host = host.Length == 0 ? "node" : host[..Math.Min(host.Length, 16)];
        var random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return string.Create(CultureInfo.InvariantCulture, $"{host}-{Environment.ProcessId}-{random}");
    }

    /// <summary>Whether <paramref name="writer"/> can be a writer identity.</summary>
    public static bool IsValidWriter(string? writer) =>
        writer is { Length: > 0 and <= MaxWriterLength } && SafeOption().IsMatch(writer);

    /// <summary>
    /// The journal plugin's connection string for this writer: the three settings as startup
    /// options (next to any options already there) and <see cref="ApplicationName"/>. Give it only
    /// to the journal (not to the snapshot store or the read journal).
    /// </summary>
    public string ApplyTo(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-c {WriterSetting}={Writer} -c {LeasePrefixSetting}={LeasePrefix} -c {ShardsSetting}={Shards}");
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? options : builder.Options + " " + options;
        builder.ApplicationName = ApplicationName;
        return builder.ConnectionString;
    }

    /// <summary>The lease name of a shard, as sharding names it.</summary>
    public string LeaseNameOf(string shardId) => LeasePrefix + shardId;

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is the fence refusing a write.</summary>
    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: NotHeldSqlState or MisconfiguredSqlState })
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsRefusal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A description for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"journal fence of writer {Writer} over leases {LeasePrefix}0..{Shards - 1}");

    [GeneratedRegex("^[A-Za-z0-9._:@-]+$")]
    private static partial Regex SafeOption();

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}
