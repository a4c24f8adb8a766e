using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;

namespace Dstack.Server.Tests.Support;

/// <summary>Wire JSON of API objects: records holding collections compare by reference, their JSON compares by value.</summary>
public static class Json
{
    public static string Of(RunInfo run) => JsonSerializer.Serialize(run, DstackJsonContext.Default.RunInfo);

    public static string Of(JobInfo job) => JsonSerializer.Serialize(job, DstackJsonContext.Default.JobInfo);
}
