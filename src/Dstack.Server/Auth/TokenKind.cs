namespace Dstack.Server.Auth;

/// <summary>What a token may do: user routes, or the runner protocol.</summary>
public enum TokenKind
{
    User,
    Runner,
}
