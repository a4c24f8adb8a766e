using System.Globalization;
using System.Text;

namespace Dstack.Runner.Execution;

/// <summary>
/// The variables every process of a job attempt carries in its environment (inherited by all descendants),
/// by which <see cref="JobSweep"/> finds them: DSTACK_JOB_ID, and DSTACK_JOB_ATTEMPT so that a later attempt
/// of the same job (resumed on another runner of this machine) is never taken for leftovers of this one.
/// </summary>
public sealed record JobMarker(string JobId, int Attempt)
{
    public const string JobIdVariable = "DSTACK_JOB_ID";
    public const string AttemptVariable = "DSTACK_JOB_ATTEMPT";

    public IEnumerable<KeyValuePair<string, string>> Variables =>
    [
        new(JobIdVariable, JobId),
        new(AttemptVariable, Attempt.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The NAME=VALUE entries a process must all carry; an attempt of 0 (unknown) matches any attempt.</summary>
    public byte[][] Entries() => Attempt > 0
        ? [Entry(JobIdVariable, JobId), Entry(AttemptVariable, Attempt.ToString(CultureInfo.InvariantCulture))]
        : [Entry(JobIdVariable, JobId)];

    private static byte[] Entry(string name, string value) => Encoding.UTF8.GetBytes($"{name}={value}");
}
