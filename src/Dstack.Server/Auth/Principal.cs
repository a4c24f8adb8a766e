namespace Dstack.Server.Auth;

/// <summary>Who a request acts for: the owner recorded on everything it creates.</summary>
public sealed record Principal(string Owner, TokenKind Kind)
{
    /// <summary>The one user of a local server; users come with the self-hosted server.</summary>
    public const string LocalOwner = "local";
}
