using System.Security.Cryptography;

namespace Dstack.Core.Naming;

/// <summary>Job ids: 12 lower-case hex characters (48 random bits), global on a server.</summary>
public static class JobIdGenerator
{
    public static string Next() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static bool LooksLikeJobId(string text) =>
        text.Length == 12 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
