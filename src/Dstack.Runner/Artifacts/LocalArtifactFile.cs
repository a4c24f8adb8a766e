namespace Dstack.Runner.Artifacts;

/// <summary>A file of a declared artifact, found in the workspace.</summary>
/// <param name="Artifact">The artifact as declared.</param>
/// <param name="Path">Relative to the working dir, with '/' separators.</param>
/// <param name="FullPath">Where to read it.</param>
/// <param name="Mode">Unix permission bits.</param>
public sealed record LocalArtifactFile(string Artifact, string Path, string FullPath, int Mode);
