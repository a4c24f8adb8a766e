using System.Net;
using System.Net.Sockets;
using Dstack.Contracts.Client;
using Dstack.Runner.Connection;

namespace Dstack.Runner.Tests.Connection;

/// <summary>Which failures the runner retries as "the server is not answering", and which fail the job at once.</summary>
public class UnreachableServerTests
{
    public static TheoryData<Exception> ConnectionFailures => new()
    {
        new HttpRequestException("connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new HttpIOException(HttpRequestError.ResponseEnded, "the response ended prematurely"),
        new IOException("unable to read data from the transport connection", new SocketException((int)SocketError.ConnectionReset)),
        new DstackApiException(HttpStatusCode.ServiceUnavailable, "starting"),
    };

    public static TheoryData<Exception> LocalFailures => new()
    {
        new IOException("No space left on device"),
        new FileNotFoundException("the artifact file is gone", "/ws/out/model.bin"),
        new DirectoryNotFoundException("no such folder"),
        new DstackApiException(HttpStatusCode.Conflict, "stale fencing token"),
    };

    [Theory]
    [MemberData(nameof(ConnectionFailures))]
    public void AFailureOfTheConnection_IsRetried(Exception failure) =>
        Assert.True(ServerConnection.IsUnreachable(failure, CancellationToken.None));

    [Theory]
    [MemberData(nameof(LocalFailures))]
    public void ALocalDiskErrorOrARefusal_IsNotRetried(Exception failure) =>
        Assert.False(ServerConnection.IsUnreachable(failure, CancellationToken.None));
}
