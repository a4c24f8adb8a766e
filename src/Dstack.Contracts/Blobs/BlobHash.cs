namespace Dstack.Contracts.Blobs;

/// <summary>Blob names are lower-case SHA-256 hex: anything else is refused before it reaches a path.</summary>
public static class BlobHash
{
    public static bool IsValid(string text) =>
        text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
