using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace FleetHealth.Domain.Notifications;

/// <summary>
/// Which hosts a notification may be sent to (<c>Notifications:AllowedTargets</c>): entries are host
/// names, addresses or CIDR ranges. Loopback, private, link-local (cloud metadata lives there),
/// shared (CGNAT), unspecified and multicast addresses are refused unless an entry covers them; a
/// listed host name allows whatever it resolves to. Public addresses are allowed unless
/// <c>publicAllowed</c> is off, when only listed targets are.
/// </summary>
public sealed class TargetAllowlist
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(IPAddress Network, int Prefix)> _ranges = [];
    private readonly bool _publicAllowed;

    private TargetAllowlist(bool publicAllowed) => _publicAllowed = publicAllowed;

    /// <summary>Parses the entries; false with the first bad one described.</summary>
    public static bool TryCreate(IEnumerable<string> entries, bool publicAllowed, [NotNullWhen(true)] out TargetAllowlist? allowlist, [NotNullWhen(false)] out string? error)
    {
        var list = new TargetAllowlist(publicAllowed);
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (TryParseRange(entry, out var range))
            {
                list._ranges.Add(range);
            }
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns)
            {
                list._hosts.Add(entry.TrimEnd('.'));
            }
            else
            {
                allowlist = null;
                error = $"'{raw}' is neither a host name, an address nor a CIDR range (10.0.0.0/8, fd00::/8).";
                return false;
            }
        }

        allowlist = list;
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="host"/> (a name as written in a URL) is listed by name.</summary>
    public bool ListsHost(string host) => _hosts.Contains(host.TrimEnd('.'));

    /// <summary>Whether a connection to <paramref name="address"/>, reached through <paramref name="host"/>, is allowed; the reason when not.</summary>
    public bool Allows(string host, IPAddress address, [NotNullWhen(false)] out string? reason)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (ListsHost(host) || _ranges.Any(r => Contains(r.Network, r.Prefix, address)))
        {
            reason = null;
            return true;
        }

        if (!IsPublic(address))
        {
            reason = $"{address} is a loopback, private or otherwise internal address; list it in Notifications:AllowedTargets to allow it.";
            return false;
        }

        reason = _publicAllowed ? null : $"{host} ({address}) is not in Notifications:AllowedTargets.";
        return _publicAllowed;
    }

    /// <summary>False for loopback, private, link-local, shared, unspecified, documentation-less reserved and multicast ranges.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }

        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (v6[0] & 0xfe) == 0xfc // unique local fc00::/7
            || (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)); // NAT64 can reach anything IPv4
    }

    private static bool TryParseRange(string entry, out (IPAddress, int) range)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? entry : entry[..slash];
        range = default;
        if (!IPAddress.TryParse(addressPart, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(entry[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > max))
        {
            return false;
        }

        range = (address, prefix);
        return true;
    }

    private static bool Contains(IPAddress network, int prefix, IPAddress address)
    {
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var n = network.GetAddressBytes();
        var a = address.GetAddressBytes();
        var whole = prefix / 8;
        for (var i = 0; i < whole; i++)
        {
            if (n[i] != a[i])
            {
                return false;
            }
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xff << (8 - rest));
        return (n[whole] & mask) == (a[whole] & mask);
    }
}
