using Dstack.Server.Errors;

namespace Dstack.Server.Tags;

/// <summary>
/// The spelling of a tag: [A-Za-z0-9][A-Za-z0-9._-]{0,62}. Tags appear in `depends-on: [prepare:latest]` and on the
/// command line, so no ':', '/', spaces or shell characters.
/// </summary>
public static class TagName
{
    public const int MaxLength = 63;

    public static bool IsValid(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxLength || !char.IsAsciiLetterOrDigit(tag[0])) return false;
        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')) return false;
        }
        return true;
    }

    /// <summary>Throws 400 saying the rule when <paramref name="tag"/> is not a valid tag name.</summary>
    public static void Check(string? tag)
    {
        if (IsValid(tag)) return;
        throw ApiErrorException.BadRequest(
            $"'{tag}' is not a valid tag name: a tag starts with a letter or a digit, followed by at most {MaxLength - 1} letters, " +
            "digits, '.', '_' or '-' (for example `latest` or `v1.2`)");
    }
}
