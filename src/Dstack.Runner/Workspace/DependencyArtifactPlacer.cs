using Dstack.Contracts.Runner;
using Dstack.Runner.Blobs;
using Dstack.Runner.Files;

namespace Dstack.Runner.Workspace;

/// <summary>
/// Puts the artifacts of a job's dependencies in place, relative to its working dir: real copies
/// (a hard link would let the job write into the runner's cache), hash-verified, with their modes.
/// </summary>
public static class DependencyArtifactPlacer
{
    public static async Task PlaceAsync(IReadOnlyList<DependencyArtifacts> dependencies, string workDir, IBlobTransfer blobs, CancellationToken ct)
    {
        foreach (var dependency in dependencies)
        {
            foreach (var file in dependency.Files)
            {
                var relative = RelativePath.Normalize(file.Path, out var error);
                var why = relative is null ? error
                    : relative == "." ? "is not a file path"
                    : RelativePath.HasLinkOnTheWay(workDir, relative) ? "is under a symbolic link"
                    : null;
                if (why is not null)
                    throw new WorkspacePreparationException($"artifact file '{file.Path}' of dependency {dependency.Workflow} ({dependency.JobId}) {why}; it was refused");
                var destination = Path.Combine(workDir, relative!);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                try
                {
                    await BlobFile.DownloadAsync(blobs, file.Sha256, destination, (UnixFileMode)(file.Mode & 0x1FF), ct);
                }
                catch (InvalidDataException e)
                {
                    throw new WorkspacePreparationException(
                        $"artifact file '{file.Path}' of dependency {dependency.Workflow} ({dependency.JobId}) is corrupt: {e.Message}", null, e);
                }
            }
        }
    }
}
