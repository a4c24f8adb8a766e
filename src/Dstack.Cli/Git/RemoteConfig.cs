namespace Dstack.Cli.Git;

/// <summary>
/// The remotes, the branches' upstream remotes and the `url.BASE.insteadOf` rules of a repository, from one
/// `git config -z --get-regexp` (<see cref="Pattern"/>): what `git remote -v` and `git config branch.NAME.remote`
/// would answer, without a process for each.
/// </summary>
public sealed class RemoteConfig
{
    /// <summary>The keys read: git matches them against names with section and key in lower case.</summary>
    public const string Pattern = @"^(remote\..*\.url|branch\..*\.remote|url\..*\.insteadof)$";

    private readonly Dictionary<string, string> _urls = new(StringComparer.Ordinal);
    private readonly List<string> _remoteOrder = [];
    private readonly Dictionary<string, string> _upstreams = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, string Base)> _insteadOf = [];

    /// <summary>Each entry of `git config -z --get-regexp` is "KEY\nVALUE\0" ("KEY\0" for a key without a value).</summary>
    public static RemoteConfig Parse(string listing)
    {
        var config = new RemoteConfig();
        foreach (var entry in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var newline = entry.IndexOf('\n', StringComparison.Ordinal);
            if (newline < 0) continue;
            var key = entry[..newline];
            var value = entry[(newline + 1)..];
            if (Middle(key, "remote.", ".url") is { } remote)
            {
                // A remote's first url is the one it fetches from, as with `git remote -v`.
                if (config._urls.TryAdd(remote, value)) config._remoteOrder.Add(remote);
            }
            else if (Middle(key, "branch.", ".remote") is { } branch)
            {
                // The last one wins, as with `git config --get`, when several config files set it.
                config._upstreams[branch] = value;
            }
            else if (Middle(key, "url.", ".insteadof") is { } baseUrl && value.Length > 0)
            {
                config._insteadOf.Add((value, baseUrl));
            }
        }
        return config;
    }

    /// <summary>The remotes' names in the order git lists them.</summary>
    public IReadOnlyList<string> Remotes => _remoteOrder;

    /// <summary>The remote a branch pushes to and pulls from, when it has one that exists.</summary>
    public string? UpstreamOf(string branch) =>
        _upstreams.TryGetValue(branch, out var remote) && _urls.ContainsKey(remote) ? remote : null;

    /// <summary>The URL git fetches the remote from: its url with the longest matching insteadOf prefix rewritten.</summary>
    public string FetchUrl(string remote)
    {
        var url = _urls[remote];
        (string Prefix, string Base)? best = null;
        foreach (var rule in _insteadOf)
        {
            if (url.StartsWith(rule.Prefix, StringComparison.Ordinal) && (best is null || rule.Prefix.Length > best.Value.Prefix.Length))
            {
                best = rule;
            }
        }
        return best is { } b ? b.Base + url[b.Prefix.Length..] : url;
    }

    /// <summary>"remote.my.fork.url" with "remote." and ".url" gives "my.fork": names may hold dots.</summary>
    private static string? Middle(string key, string prefix, string suffix) =>
        key.Length > prefix.Length + suffix.Length && key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(suffix, StringComparison.Ordinal)
            ? key[prefix.Length..^suffix.Length]
            : null;
}
