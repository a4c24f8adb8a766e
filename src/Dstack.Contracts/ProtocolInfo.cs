namespace Dstack.Contracts;

/// <summary>
/// The version of the HTTP protocol spoken between the CLI, the server and the runners.
/// Bump it on any incompatible change to a route or a wire type; clients refuse a server
/// whose protocol differs from theirs.
/// </summary>
public static class ProtocolInfo
{
    public const int Version = 3;

    /// <summary>Header every response carries, so a client can check compatibility on any call.</summary>
    public const string Header = "X-Dstack-Protocol";
}
