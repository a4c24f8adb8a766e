using System.Text.Json;
using System.Text.Json.Serialization;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Blobs;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Logs;
using Dstack.Contracts.Pruning;
using Dstack.Contracts.Repos;
using Dstack.Contracts.Runner;
using Dstack.Contracts.Runs;
using Dstack.Contracts.Server;
using Dstack.Contracts.Tags;

namespace Dstack.Contracts;

/// <summary>Source-generated JSON for every wire type: no reflection, so it works under Native AOT.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = false)]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(EmbeddedServerState))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(InitRepoRequest))]
[JsonSerializable(typeof(RepoInfo))]
[JsonSerializable(typeof(BlobRef))]
[JsonSerializable(typeof(BlobAdoptRequest))]
[JsonSerializable(typeof(SubmitRunRequest))]
[JsonSerializable(typeof(RunInfo))]
[JsonSerializable(typeof(RunPlanPreview))]
[JsonSerializable(typeof(TagRequest))]
[JsonSerializable(typeof(PruneRequest))]
[JsonSerializable(typeof(PruneResult))]
[JsonSerializable(typeof(List<RunInfo>))]
[JsonSerializable(typeof(JobInfo))]
[JsonSerializable(typeof(LogRecord))]
[JsonSerializable(typeof(JobArtifacts))]
[JsonSerializable(typeof(List<JobArtifacts>))]
[JsonSerializable(typeof(RegisterRunnerRequest))]
[JsonSerializable(typeof(RunnerRegistration))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(LeaseRequest))]
[JsonSerializable(typeof(JobLease))]
[JsonSerializable(typeof(JobProgressReport))]
[JsonSerializable(typeof(JobOutcome))]
[JsonSerializable(typeof(LogAppendRequest))]
[JsonSerializable(typeof(LogAppendResponse))]
[JsonSerializable(typeof(ArtifactManifest))]
[JsonSerializable(typeof(StopRequest))]
[JsonSerializable(typeof(StopResult))]
[JsonSerializable(typeof(RunnerOrdersRequest))]
[JsonSerializable(typeof(RunnerOrders))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class DstackJsonContext : JsonSerializerContext;
