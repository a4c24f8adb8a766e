using Dstack.Contracts.Artifacts;

namespace Dstack.Runner.Artifacts;

/// <summary>The stored artifact files, with how many were read to hash them and how many had to be uploaded.</summary>
public sealed record ArtifactUpload(IReadOnlyList<ArtifactFile> Files, int Hashed, int Uploaded);
