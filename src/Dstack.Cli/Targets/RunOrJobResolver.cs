using Dstack.Cli.Terminal;
using Dstack.Contracts.Client;

namespace Dstack.Cli.Targets;

/// <summary>Resolves a `(RUN | JOB)` argument: a name shaped like a job id (12 hex digits) is tried as a job first.</summary>
public static class RunOrJobResolver
{
    public static bool LooksLikeJobId(string name) => name.Length == 12 && name.All(char.IsAsciiHexDigitLower);

    public static async Task<RunOrJob> ResolveAsync(DstackClient client, string name, CancellationToken ct)
    {
        if (LooksLikeJobId(name) && await client.FindJobAsync(name, ct) is { } job) return new RunOrJob(null, job);
        if (await client.FindRunAsync(name, ct) is { } run) return new RunOrJob(run, null);
        throw new CliException($"no run or job named {name}: `dstack status` lists the runs of this repository, with their jobs");
    }
}
