using Dstack.Contracts.Artifacts;

namespace Dstack.Cli.Artifacts;

/// <summary>One file to put in the output folder: where it goes and what it must hash to.</summary>
public sealed record DownloadPlan(ArtifactFile File, string Destination);
