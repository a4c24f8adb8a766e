using Dstack.Cli.Connection;
using Dstack.Cli.Git;
using Dstack.Cli.Hosting;
using Dstack.Cli.Logs;
using Dstack.Cli.Running;
using Dstack.Cli.Targets;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Client;
using Dstack.Contracts.Jobs;
using Dstack.Contracts.Runs;
using Dstack.Core.Caching;
using Dstack.Core.Workflows;

namespace Dstack.Cli.Commands;

/// <summary>
/// `dstack run WORKFLOW [--VARIABLE VALUE]... [-f] [--no-cache] [--dry-run]`: checks the workflow files and the
/// arguments locally (help and errors need no server), then sends the commit, the uncommitted changes, the code's
/// identity (what cache keys hash) and the `.dstack/` files as a run; or, with --dry-run, asks what the run would do.
/// </summary>
public sealed class RunCommand(CliContext context)
{
    public sealed record Settings(IReadOnlyList<string> Tokens);

    public async Task<int> ExecuteAsync(Settings settings, CancellationToken ct)
    {
        var console = context.Console;
        var git = await GitContext.DiscoverAsync(context.Environment.WorkingDirectory, ct);
        // The questions for git that do not depend on one another (nor on the workflows) go at once, answered while the
        // workflow files are parsed; the answers are checked below in the order the errors should be told (remote,
        // commit, pushed, untracked size). Not for a call that only asks for help: that needs none of them.
        (Task<string> Remote, Task<HeadCommit> Head, Task<IReadOnlyList<string>> Untracked)? questions = AsksForHelpOnly(settings.Tokens) ? null : AskGit(git, ct);
        var files = WorkflowFileReader.Read(git.Root);
        var set = WorkflowSetParser.Parse(files);
        foreach (var warning in set.Warnings) console.Error.WriteLine($"warning: {warning}");

        var arguments = RunArgumentParser.Parse(settings.Tokens, set);
        if (arguments.Workflow is null)
        {
            // `dstack run` alone is missing its workflow: the list goes to stderr with a failure, `--help` to stdout.
            (arguments.Help ? console.Out : console.Error).Write(RunHelpWriter.Workflows(set));
            return arguments.Help ? 0 : 1;
        }
        if (arguments.Help)
        {
            console.Out.Write(RunHelpWriter.Workflow(set, arguments.Workflow));
            return 0;
        }

        var (remoting, heading, listing) = questions ?? AskGit(git, ct);
        var remote = await remoting;
        var branch = await git.GetBranchAsync(ct);
        var head = await heading;
        if (!await git.IsOnRemoteAsync(head, ct))
        {
            throw new CliException($"commit {head.Commit[..7]} is not on the remote: push it first (git push)");
        }
        var untrackedFiles = await listing;
        var untrackedLimit = GitContext.UntrackedLimitBytes(context.Environment.Get("DSTACK_MAX_UNTRACKED_MB"));
        // Checked before hashing: a dry run refuses what the run itself would refuse, and nothing large is read for nothing.
        git.CheckUntrackedSize(untrackedFiles, untrackedLimit);
        // Read while the code's identity is worked out and the server is asked, once nothing above refused the run.
        var diffing = arguments.DryRun ? null : ReadTrackedDiffAsync(git, ct);
        // The server is reached (and started, the first time) while the code's identity is read.
        var connecting = context.Connector.ConnectWarmAsync(ct);
        RepoCode code;
        try
        {
            code = await RepoCodeReader.ReadAsync(git, head, untrackedFiles, CodeIdentity.PathsNeeded(set.Closure(arguments.Workflow)), ct);
        }
        catch
        {
            ServerConnector.Abandon(connecting);
            throw;
        }
        var request = new SubmitRunRequest
        {
            RepoUrl = remote,
            Branch = branch,
            Commit = head.Commit,
            WorkflowFiles = files,
            Workflow = arguments.Workflow,
            Variables = arguments.Overrides,
            Code = code,
            NoCache = arguments.NoCache,
        };

        using var client = await connecting;
        if (await client.FindRepoAsync(remote, ct) is null)
        {
            throw new CliException("this repository is not initialised: run `dstack init` first");
        }
        if (arguments.DryRun)
        {
            // The plan needs the code's identity, not its content: no blob is uploaded and nothing is stored.
            var preview = await client.PreviewRunAsync(request, ct);
            DryRunTable.Build(preview).WriteTo(console.Out);
            return 0;
        }

        var diff = await diffing!;
        using var untracked = await git.PackUntrackedAsync(untrackedFiles, untrackedLimit, ct);
        string? diffBlob = null, untrackedBlob = null;
        if (diff.Length > 0)
        {
            using var diffStream = new MemoryStream(diff, writable: false);
            diffBlob = (await client.UploadBlobAsync(diffStream, ct)).Sha256;
        }
        if (untracked is not null)
        {
            await using var tar = untracked.OpenRead();
            untrackedBlob = (await client.UploadBlobAsync(tar, ct)).Sha256;
        }
        var run = await client.SubmitRunAsync(request with { DiffBlob = diffBlob, UntrackedBlob = untrackedBlob }, ct);
        console.Out.WriteLine(run.RunName);
        // As one string: written a line at a time, a cached run of hundreds of jobs made a system call for each.
        var note = string.Concat(ReusedJobsNote.Lines(run).Select(line => line + Environment.NewLine));
        if (note.Length > 0) console.Error.Write(note);
        return arguments.Follow ? await FollowAsync(client, run, ct) : 0;
    }

    private async Task<int> FollowAsync(DstackClient client, RunInfo run, CancellationToken ct)
    {
        var console = context.Console;
        try
        {
            await console.Out.FlushAsync(ct);
            await LogPrinter.PrintAsync(client, new RunOrJob(run, null), since: null, follow: true, console.OutBytes, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            console.Error.WriteLine(DetachedLine(run.RunName));
            return 130;
        }
        var final = await client.FindRunJobsNotDoneAsync(run.RunName, CancellationToken.None)
            ?? throw new CliException($"run {run.RunName} disappeared from the server");
        console.Error.WriteLine(FinalStatusLine(final));
        return final.Status == JobStatus.Done ? 0 : 1;
    }

    /// <summary>What Ctrl-C on `run -f` prints: the run goes on, and the commands to follow, see or stop it.</summary>
    public static string DetachedLine(string runName) =>
        $"detached from {runName}: it goes on. Follow it again with `dstack logs -f {runName}`, see it with `dstack status {runName}`, stop it with `dstack stop {runName}`";

    /// <summary>"run fast-rabbit-1 DONE", or with the jobs that did not end DONE and why.</summary>
    public static string FinalStatusLine(RunInfo run)
    {
        var line = $"run {run.RunName} {run.Status.ToDisplay()}";
        var bad = run.Jobs.Where(j => j.Status != JobStatus.Done).Select(j =>
        {
            var reason = Status.StatusTable.Reason(j);
            return $"{j.Workflow} ({j.JobId}) {j.Status.ToDisplay()}" + (reason.Length > 0 ? $": {reason}" : "");
        }).ToList();
        return bad.Count == 0 || run.Status == JobStatus.Done ? line : $"{line}: {string.Join("; ", bad)}";
    }

    private static (Task<string> Remote, Task<HeadCommit> Head, Task<IReadOnlyList<string>> Untracked) AskGit(GitContext git, CancellationToken ct)
    {
        var questions = (git.GetRemoteUrlAsync(ct), git.GetHeadAsync(ct), git.GetUntrackedFilesAsync(ct));
        // Taken by RepoCodeReader later; asked now, beside the others.
        _ = git.GetChangedTrackedFilesAsync(ct);
        return questions;
    }

    /// <summary>
    /// The tracked changes, asked of git only when the list of changed files (which the code's identity is made of) has
    /// any: both compare the working tree with HEAD, so an empty list means an empty diff, and a clean tree costs no process.
    /// </summary>
    private static async Task<byte[]> ReadTrackedDiffAsync(GitContext git, CancellationToken ct) =>
        (await git.GetChangedTrackedFilesAsync(ct)).Count == 0 ? [] : await git.GetTrackedDiffAsync(ct);

    private static bool AsksForHelpOnly(IReadOnlyList<string> tokens) =>
        tokens.Count == 0 || tokens.Any(t => t is "--help" or "-h" or "-?");
}
