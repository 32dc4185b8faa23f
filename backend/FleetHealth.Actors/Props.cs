namespace FleetHealth.Actors;

/// <summary>
/// How to create an actor: a factory called once per incarnation (first start and every restart), so it
/// must return a fresh instance each time. Props are immutable and can be shared by many actors.
/// </summary>
public sealed class Props
{
    private Props(Func<ActorBase> factory, bool passivate)
    {
        Factory = factory;
        Passivate = passivate;
    }

    /// <summary>Creates a fresh actor instance.</summary>
    public Func<ActorBase> Factory { get; }

    /// <summary>
    /// Whether the system may stop this actor after <see cref="ActorSystemSettings.PassivationIdleTimeout"/>
    /// without user messages. A passivated actor is re-created (and recovered) by the next message
    /// sent to it through the registry or through an old reference.
    /// </summary>
    public bool Passivate { get; }

    /// <summary>Props from a factory; passivation is allowed.</summary>
    public static Props Create(Func<ActorBase> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(factory, passivate: true);
    }

    /// <summary>The same props with passivation switched on or off.</summary>
    public Props WithPassivation(bool enabled) => new(Factory, enabled);
}
