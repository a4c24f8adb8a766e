namespace Dstack.Contracts.Blobs;

/// <summary>A stored blob: content addressed by its SHA-256 (lower-case hex).</summary>
public sealed record BlobRef(string Sha256, long Size);
