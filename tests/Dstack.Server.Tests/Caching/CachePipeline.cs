using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Caching;

/// <summary>
/// Workflows for cache tests: `train` depends on `prepare` (which alone has the variable `size`) and `other`;
/// `narrow` covers only the path `src` of the repository; `from-best` takes prepare's artifacts from the run tagged best.
/// </summary>
public static class CachePipeline
{
    public const string Workflows = """
        workflows:
          - name: prepare
            commands: [echo prepare $size]
            artifacts: [data]
          - name: other
            commands: [echo other]
            artifacts: [other]
          - name: train
            depends-on: [prepare, other]
            commands: [echo train $run_name]
            artifacts: [model]
          - name: narrow
            depends-on:
              repo:
                include: [./src/]
            commands: [echo narrow]
          - name: from-best
            depends-on: [prepare:best]
            commands: [ls data]
        """;

    public const string Variables = """
        variables:
          prepare:
            size: small
        """;

    public static readonly RepoCode Code = Support.Workflows.Code("tree-1");

    public static SubmitRunRequest Run(string workflow, RepoCode? code = null, IReadOnlyDictionary<string, string>? variables = null) =>
        Support.Workflows.Run(workflow, variables: variables, code: code ?? Code) with
        {
            WorkflowFiles = [new(".dstack/workflows.yaml", Workflows), new(".dstack/variables.yaml", Variables)],
        };

    /// <summary>Plays a runner doing the next ready job: it writes one log line and one artifact file (content: the job id), then DONE.</summary>
    public static async Task<JobLease> CompleteNextAsync(ServerHarness harness, RunnerRegistration runner)
    {
        var lease = (await harness.LeaseAsync(runner)) ?? throw new InvalidOperationException("no job was ready to lease");
        await CompleteAsync(harness, lease);
        return lease;
    }

    public static async Task CompleteAsync(ServerHarness harness, JobLease lease)
    {
        var blob = await harness.Runner.UploadBlobAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(lease.JobId)));
        await harness.Runner.AppendLogsAsync(lease.JobId, new()
        {
            FencingToken = lease.FencingToken,
            Attempt = lease.Attempt,
            Chunks = [new() { Offset = 0, Stream = Contracts.Logs.LogStream.Stdout, Time = DateTimeOffset.UtcNow, Data = System.Text.Encoding.UTF8.GetBytes($"{lease.Workflow} ran\n") }],
        });
        await harness.Runner.PutArtifactManifestAsync(lease.JobId, new ArtifactManifest
        {
            FencingToken = lease.FencingToken,
            Files = [new ArtifactFile { Artifact = "out", Path = $"out/{lease.JobId}", Size = blob.Size, Sha256 = blob.Sha256 }],
        });
        await harness.FinishAsync(lease);
    }

    /// <summary>Completes every job ready now and those they release, until none is left.</summary>
    public static async Task<List<JobLease>> CompleteAllAsync(ServerHarness harness, RunnerRegistration runner)
    {
        var done = new List<JobLease>();
        while (await harness.LeaseAsync(runner, waitMs: 50) is { } lease)
        {
            await CompleteAsync(harness, lease);
            done.Add(lease);
        }
        return done;
    }

    public static long JobRows(ServerHarness harness) => StateDb.Count(harness, "SELECT COUNT(*) FROM jobs");
}
