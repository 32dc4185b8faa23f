using System.Net;
using System.Net.Sockets;
using FleetHealth.Domain.Notifications;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Where notifications may go (<see cref="TargetAllowlist"/> from <c>Notifications:AllowedTargets</c>),
/// checked on the addresses a name resolves to: when a channel is saved, and at every connection
/// (the HTTP handler's connect callback, the SMTP socket), so a name re-pointed at an internal
/// address afterwards (DNS rebinding) is refused too.
/// </summary>
internal sealed class TargetGuard
{
    private readonly TargetAllowlist _allowlist;

    public TargetGuard(IOptions<NotificationOptions> options)
    {
        if (!TargetAllowlist.TryCreate(options.Value.AllowedTargets, options.Value.AllowPublicTargets, out var allowlist, out var error))
        {
            throw new OptionsValidationException(NotificationOptions.Section, typeof(NotificationOptions), [error]);
        }

        _allowlist = allowlist;
    }

    /// <summary>Null when <paramref name="host"/> may be reached; else why not.</summary>
    public async Task<string?> CheckAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            _ = await ResolveAsync(host, cancellationToken);
            return null;
        }
        catch (TargetRefusedException e)
        {
            return e.Message;
        }
    }

    /// <summary>The addresses of <paramref name="host"/>, every one of them allowed; else <see cref="TargetRefusedException"/>.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var name = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(name, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new TargetRefusedException($"{host} does not resolve ({e.SocketErrorCode}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new TargetRefusedException($"{host} does not resolve.");
        }

        foreach (var address in addresses)
        {
            if (!_allowlist.Allows(name, address, out var reason))
            {
                throw new TargetRefusedException(name == address.ToString() ? reason : $"{host} resolves to a refused address: {reason}");
            }
        }

        return addresses;
    }

    /// <summary>A connected socket to an allowed address of <paramref name="host"/>.</summary>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}

/// <summary>A target the allowlist refuses.</summary>
internal sealed class TargetRefusedException(string message) : Exception(message);
