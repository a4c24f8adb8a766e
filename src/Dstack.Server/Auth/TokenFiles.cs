using System.Security.Cryptography;
using System.Text;
using Dstack.Server.Storage;

namespace Dstack.Server.Auth;

/// <summary>
/// The local user's token (Home/token) and the built-in runner's (Home/runner-token): random, created once,
/// mode 0600, kept across restarts. The database keeps only their hashes.
/// </summary>
public static class TokenFiles
{
    public static string ReadOrCreate(string path) =>
        Encoding.ASCII.GetString(PrivateFile.ReadOrCreate(path, () => Encoding.ASCII.GetBytes(NewToken()))).Trim();

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
