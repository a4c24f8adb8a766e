using Dstack.Contracts.Pruning;
using Dstack.Server.Auth;
using Dstack.Server.Blobs;
using Dstack.Server.Errors;

namespace Dstack.Server.Pruning;

/// <summary>
/// `dstack prune` on the server: remove the repository's finished runs that nothing needs (one transaction), then the
/// blobs only they referenced. A dry run computes the same lists and changes nothing.
/// </summary>
public sealed class RunPruning(IPruneStore store, IBlobStore blobs)
{
    public PruneResult Prune(Principal user, PruneRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RepoUrl)) throw ApiErrorException.BadRequest("the prune request has no repository URL");
        if (request.DryRun)
        {
            var plan = store.Plan(user.Owner, request.RepoUrl);
            var sizes = plan.Blobs.Select(blobs.SizeOf).OfType<long>().ToList();
            return Result(plan, dryRun: true, sizes.Count, sizes.Sum());
        }

        var removed = store.Remove(user.Owner, request.RepoUrl);
        int count = 0;
        long bytes = 0;
        // After the commit: were a blob deleted first and the transaction then failed, a kept row would name a missing blob.
        // A blob lost the other way (rows gone, deletion failed) only takes space. Still unreferenced is checked again
        // under the write lock, since a run submitted in between may have recorded the same content.
        store.WithUnreferenced(removed.Blobs, unreferenced =>
        {
            foreach (var sha256 in unreferenced)
            {
                var size = blobs.SizeOf(sha256);
                if (!blobs.Delete(sha256)) continue;
                count++;
                bytes += size ?? 0;
            }
        });
        return Result(removed, dryRun: false, count, bytes);
    }

    private static PruneResult Result(PrunePlan plan, bool dryRun, int blobCount, long bytes) => new()
    {
        DryRun = dryRun,
        Runs = plan.Runs,
        Jobs = plan.Jobs,
        Blobs = blobCount,
        Bytes = bytes,
    };
}
