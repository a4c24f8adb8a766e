namespace Dstack.Contracts.Client;

/// <summary>The server speaks another protocol version than this build.</summary>
public sealed class ProtocolMismatchException(int serverVersion)
    : Exception($"the server speaks protocol {serverVersion}, this build speaks {ProtocolInfo.Version}")
{
    public int ServerVersion { get; } = serverVersion;
}
