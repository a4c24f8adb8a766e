using System.Text.Json.Serialization;

namespace Dstack.Contracts.Jobs;

/// <summary>Statuses of a job (and, derived, of a run). Upper case on the wire and on screen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("SUBMITTED")] Submitted,
    [JsonStringEnumMemberName("RUNNING")] Running,
    [JsonStringEnumMemberName("UPLOADING")] Uploading,
    [JsonStringEnumMemberName("DONE")] Done,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("STOPPING")] Stopping,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
    [JsonStringEnumMemberName("ABORTING")] Aborting,
    [JsonStringEnumMemberName("ABORTED")] Aborted,
}
