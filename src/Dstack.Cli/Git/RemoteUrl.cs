namespace Dstack.Cli.Git;

/// <summary>
/// A remote URL as dstack stores and shows it: without the `user:password@` part some users put in HTTPS remotes,
/// so the secret is never printed, stored in plain text, listed, or put on a runner's git command line.
/// </summary>
public sealed record RemoteUrl(string Url, string? EmbeddedPassword)
{
    public static RemoteUrl Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.UserInfo))
        {
            return new RemoteUrl(url, null);
        }
        // A user name alone (https://alice@host/...) carries no secret and may be needed by the host: keep it.
        var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0) return new RemoteUrl(url, null);
        var password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
        var clean = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
        // UriBuilder adds a trailing slash to a bare host; keep the user's path as written otherwise.
        if (!url.EndsWith('/') && clean.EndsWith('/') && uri.AbsolutePath == "/") clean = clean[..^1];
        return new RemoteUrl(clean, string.IsNullOrEmpty(password) ? null : password);
    }
}
