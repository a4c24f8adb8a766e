using Dstack.Contracts.Artifacts;
using Dstack.Contracts.Runner;
using Dstack.Runner.Blobs;
using Dstack.Runner.Files;

namespace Dstack.Runner.Workspace;

/// <summary>
/// Puts stored artifact files in place, relative to a job's working dir, before its commands start: the
/// artifacts of its dependencies, then (for a resumed job) its own artifacts from the previous attempt.
/// Real copies (a hard link would let the job write into the runner's cache), streamed, hash-verified,
/// with their modes; a file the slot's last job left untouched with the same content is kept (<see cref="PlacedArtifacts"/>).
/// </summary>
public static class ArtifactPlacer
{
    public static async Task PlaceDependenciesAsync(
        IReadOnlyList<DependencyArtifacts> dependencies, string workDir, IBlobTransfer blobs, PlacedArtifacts? placed, SpareFiles spares,
        CancellationToken ct)
    {
        foreach (var dependency in dependencies)
        {
            foreach (var file in dependency.Files)
                await PlaceAsync(file, $"of dependency {dependency.Workflow} ({dependency.JobId})", workDir, blobs, placed, spares, ct);
        }
    }

    /// <summary>A resumed job's files from its previous attempt: put back where the job left them, so it carries on from its checkpoint.</summary>
    public static async Task RestoreAsync(
        IReadOnlyList<ArtifactFile> files, string workDir, IBlobTransfer blobs, PlacedArtifacts? placed, SpareFiles spares, CancellationToken ct)
    {
        foreach (var file in files) await PlaceAsync(file, "of the previous attempt", workDir, blobs, placed, spares, ct);
    }

    private static async Task PlaceAsync(
        ArtifactFile file, string owner, string workDir, IBlobTransfer blobs, PlacedArtifacts? placed, SpareFiles spares, CancellationToken ct)
    {
        var relative = RelativePath.Normalize(file.Path, out var error);
        var why = relative is null ? error
            : relative == "." ? "is not a file path"
            : RelativePath.HasLinkOnTheWay(workDir, relative) ? "is under a symbolic link"
            : null;
        if (why is not null) throw new WorkspacePreparationException($"artifact file '{file.Path}' {owner} {why}; it was refused");
        var destination = Path.Combine(workDir, relative!);
        var mode = file.Mode & 0x1FF;
        // Left by the slot's last job just as this one needs it: the same content, untouched.
        if (placed?.Has(destination, file.Sha256, mode) == true) return;
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        try
        {
            await BlobFile.DownloadAsync(blobs, file.Sha256, destination, (UnixFileMode)mode, ct, spares);
            placed?.Record(destination, file.Sha256, mode);
        }
        catch (InvalidDataException e)
        {
            throw new WorkspacePreparationException($"artifact file '{file.Path}' {owner} is corrupt: {e.Message}", null, e);
        }
    }
}
