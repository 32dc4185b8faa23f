namespace FleetHealth.Actors;

/// <summary>
/// The message was not processed because its target actor stopped (or was stopping) before handling it,
/// or the actor failed while handling it. Raised by <see cref="ActorRefExtensions.Ask(IActorRef, object, TimeSpan, CancellationToken)"/> so callers fail fast instead of timing out.
/// </summary>
public sealed class ActorNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorNotAvailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorNotAvailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ActorNotAvailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>An actor with this id is already registered in the system.</summary>
public sealed class ActorAlreadyExistsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActorAlreadyExistsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ActorAlreadyExistsException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ActorAlreadyExistsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
