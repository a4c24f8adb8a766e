using System.Security.Cryptography;
using Dstack.Cli.Terminal;
using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Blobs;

namespace Dstack.Cli.Artifacts;

/// <summary>
/// Downloads artifact files into a folder: each streamed to a temp file beside its destination while hashed, checked
/// against its SHA-256, given its mode, then renamed into place, so a file in DIR is always whole. A file already
/// there with the same size and hash is left alone. Blobs come from openBlob (<see cref="BlobSource"/>: the store's own
/// files on the server's machine, else the server).
/// </summary>
public sealed class ArtifactDownloader(Func<string, CancellationToken, Task<Stream>> openBlob)
{
    public sealed record Summary(int Downloaded, int Skipped, long DownloadedBytes);

    /// <summary>The files of the jobs and where they go: DIR/PATH for one job, DIR/WORKFLOW/PATH for a run's jobs.</summary>
    public static List<DownloadPlan> Plan(IReadOnlyList<JobArtifacts> jobs, string directory, bool perWorkflow)
    {
        var root = Path.GetFullPath(directory);
        var plans = new List<DownloadPlan>();
        foreach (var job in jobs)
        {
            var jobRoot = perWorkflow ? Path.Combine(root, SafeSegment(job.Workflow)) : root;
            foreach (var file in job.Files)
            {
                var destination = Path.GetFullPath(Path.Combine(jobRoot, file.Path));
                // The server checks paths too; a client never writes outside the folder it was given.
                if (Path.IsPathRooted(file.Path) || file.Path.Split('/').Contains("..") || !destination.StartsWith(jobRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new CliException($"the server listed an artifact file with an unsafe path '{file.Path}' (job {job.JobId}); nothing was written for it");
                }
                plans.Add(new DownloadPlan(file, destination));
            }
        }
        return plans;
    }

    /// <summary>Downloads what is missing or different; progress receives the bytes written so far.</summary>
    public async Task<Summary> DownloadAsync(IReadOnlyList<DownloadPlan> plans, Action<DownloadPlan, long>? progress, CancellationToken ct)
    {
        int downloaded = 0, skipped = 0;
        long bytes = 0;
        foreach (var plan in plans)
        {
            if (await IsUpToDateAsync(plan, ct))
            {
                skipped++;
                progress?.Invoke(plan, plan.File.Size);
                continue;
            }
            await DownloadFileAsync(plan, written => progress?.Invoke(plan, written), ct);
            downloaded++;
            bytes += plan.File.Size;
        }
        return new Summary(downloaded, skipped, bytes);
    }

    private static async Task<bool> IsUpToDateAsync(DownloadPlan plan, CancellationToken ct)
    {
        var info = new FileInfo(plan.Destination);
        if (!info.Exists || info.Length != plan.File.Size) return false;
        await using var stream = new FileStream(plan.Destination, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        return hash == plan.File.Sha256;
    }

    private async Task DownloadFileAsync(DownloadPlan plan, Action<long> progress, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(plan.Destination)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(plan.Destination)}.{Guid.NewGuid():N}.part");
        try
        {
            string actual;
            long written;
            await using (var source = await openBlob(plan.File.Sha256, ct))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                (actual, written) = await HashedCopy.CopyAsync(source, target, progress, ct, maxLength: plan.File.Size);
            }
            if (actual != plan.File.Sha256 || written != plan.File.Size)
            {
                throw new CliException($"{plan.File.Path} arrived damaged ({written} bytes, sha256 {actual}; expected {plan.File.Size} bytes, {plan.File.Sha256}): run the command again");
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, (UnixFileMode)(plan.File.Mode & 0x1FF));
            File.Move(temp, plan.Destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string SafeSegment(string workflow) =>
        workflow.Length == 0 || workflow is "." or ".." || workflow.Contains('/') ? "_" + workflow.Replace('/', '_') : workflow;
}
