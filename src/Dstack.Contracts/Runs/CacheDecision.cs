using System.Text.Json.Serialization;

namespace Dstack.Contracts.Runs;

/// <summary>What a run does for one of its workflows, as `dstack run --dry-run` shows it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CacheDecision>))]
public enum CacheDecision
{
    /// <summary>A new job runs the workflow.</summary>
    Run,
    /// <summary>A DONE job with the same key and all its artifacts is the run's job: nothing runs.</summary>
    Reuse,
    /// <summary>A job with the same key is still going: the run waits for it instead of starting the workflow twice.</summary>
    Await,
}
