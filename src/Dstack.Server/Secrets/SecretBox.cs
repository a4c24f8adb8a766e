using System.Security.Cryptography;
using Dstack.Server.Storage;

namespace Dstack.Server.Secrets;

/// <summary>
/// Encrypts secrets at rest (repository credentials) with AES-256-GCM. The key lives in Home/secret.key (0600),
/// apart from the database, so a copy of state.db alone reveals nothing. The associated data binds a ciphertext
/// to its row (e.g. the repository URL), so it can't be moved to another row.
/// </summary>
public sealed class SecretBox
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretBox(string keyPath)
    {
        _key = PrivateFile.ReadOrCreate(keyPath, () => RandomNumberGenerator.GetBytes(32));
        if (_key.Length != 32) throw new InvalidOperationException($"{keyPath} is not a 32-byte key: restore it from a backup, or delete it and run `dstack init` again for every repository");
    }

    public byte[] Encrypt(byte[] plaintext, byte[] associatedData)
    {
        var result = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, result.AsSpan(NonceSize + TagSize), result.AsSpan(NonceSize, TagSize), associatedData);
        return result;
    }

    public byte[] Decrypt(byte[] sealedData, byte[] associatedData)
    {
        var plaintext = new byte[sealedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedData.AsSpan(0, NonceSize), sealedData.AsSpan(NonceSize + TagSize), sealedData.AsSpan(NonceSize, TagSize), plaintext, associatedData);
        return plaintext;
    }
}
