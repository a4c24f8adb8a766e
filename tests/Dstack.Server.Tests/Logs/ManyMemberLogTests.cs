using System.Text;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Runner;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Logs;

public sealed class ManyMemberLogTests
{
    [Fact]
    public async Task TheLogsOfARunThatReusedMoreThan500Jobs_AreStreamedWhole_InTimeOrder()
    {
        await using var harness = await ServerHarness.StartAsync();
        var runner = await harness.RegisterRunnerAsync();
        const int leaves = 510;
        var yaml = new StringBuilder("workflows:\n");
        for (var i = 0; i < leaves; i++) yaml.Append($"  - name: leaf{i}\n    commands: [echo {i}]\n");
        yaml.Append("  - name: gather\n    depends-on: [").Append(string.Join(", ", Enumerable.Range(0, leaves).Select(i => $"leaf{i}"))).Append("]\n    commands: [echo all]\n");
        var code = Workflows.Code("a-tree");
        await harness.SubmitAsync(Workflows.Run("gather", workflows: yaml.ToString(), code: code));
        var start = DateTimeOffset.UtcNow;
        for (var n = 0; n <= leaves; n++)
        {
            var lease = (await harness.LeaseAsync(runner))!;
            var line = Encoding.UTF8.GetBytes($"line of {lease.Workflow}\n");
            await harness.Runner.AppendLogsAsync(lease.JobId, new LogAppendRequest
            {
                FencingToken = lease.FencingToken,
                Attempt = 1,
                Chunks = [new LogChunk { Offset = 0, Stream = LogStream.Stdout, Time = start.AddMilliseconds(n), Data = line }],
            });
            await harness.FinishAsync(lease);
        }

        var again = await harness.SubmitAsync(Workflows.Run("gather", workflows: yaml.ToString(), code: code));
        var records = new List<LogRecord>();
        await foreach (var record in harness.User.StreamRunLogsAsync(again.RunName, since: null, follow: true)) records.Add(record);

        Assert.All(again.Jobs, job => Assert.True(job.Reused));
        Assert.Equal(leaves + 1, records.Count);
        Assert.Equal(records.OrderBy(r => r.Time).Select(r => r.JobId), records.Select(r => r.JobId));
        Assert.Equal("line of gather\n", Encoding.UTF8.GetString(records[^1].Data));
    }
}
