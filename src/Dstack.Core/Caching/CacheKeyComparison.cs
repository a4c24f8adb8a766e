namespace Dstack.Core.Caching;

/// <summary>
/// Says which parts of two cache keys differ, in words a user acts on: the code (committed files, uncommitted
/// changes, the paths included), a variable (with both values), a dependency, or a piece of the workflow's definition.
/// </summary>
public static class CacheKeyComparison
{
    public static IReadOnlyList<string> Differences(CacheKeyParts now, CacheKeyParts earlier)
    {
        var differences = new List<string>();
        if (now.Version != earlier.Version)
        {
            differences.Add($"the key's format (version {earlier.Version} -> {now.Version}): jobs of older versions of dstack are not reused");
            return differences;
        }
        if (now.RepoUrl != earlier.RepoUrl) differences.Add($"repository URL: {earlier.RepoUrl} -> {now.RepoUrl}");
        differences.AddRange(CodeDifferences(now.Code, earlier.Code));
        foreach (var name in Names(now.Variables, earlier.Variables))
        {
            var before = earlier.Variables.GetValueOrDefault(name);
            var after = now.Variables.GetValueOrDefault(name);
            if (before == after) continue;
            differences.Add(before is null ? $"variable {name}: new ({Shown(after!)})"
                : after is null ? $"variable {name}: removed (was {Shown(before)})"
                : $"variable {name}: {Shown(before)} -> {Shown(after)}");
        }
        foreach (var name in Names(now.Dependencies, earlier.Dependencies))
        {
            var before = earlier.Dependencies.GetValueOrDefault(name);
            var after = now.Dependencies.GetValueOrDefault(name);
            if (before == after) continue;
            differences.Add(before is null ? $"dependency {name}: new" : after is null ? $"dependency {name}: removed" : $"dependency {name}: its key differs");
        }
        // Variables are substituted into the definition and exported into its environment, so a changed variable
        // changes those too: naming them as well would read as if the workflow file had been edited.
        if (differences.Any(d => d.StartsWith("variable ", StringComparison.Ordinal))) return differences;
        var a = now.Definition;
        var b = earlier.Definition;
        if (!a.Commands.SequenceEqual(b.Commands, StringComparer.Ordinal)) differences.Add("definition: commands");
        if (a.Image != b.Image) differences.Add("definition: image");
        if (!SameMap(a.Environment, b.Environment)) differences.Add("definition: environment");
        if (a.WorkingDir != b.WorkingDir) differences.Add("definition: working_dir");
        if (!a.Artifacts.SequenceEqual(b.Artifacts, StringComparer.Ordinal)) differences.Add("definition: artifacts");
        if (!SameMap(CacheKeyDocument.ResourceEntries(a.Resources), CacheKeyDocument.ResourceEntries(b.Resources))) differences.Add("definition: resources");
        return differences;
    }

    private static IEnumerable<string> CodeDifferences(IReadOnlyDictionary<string, string> now, IReadOnlyDictionary<string, string> earlier)
    {
        var scopeNow = Scope(now);
        if (scopeNow != Scope(earlier))
        {
            yield return $"code: the paths it depends on (now {scopeNow})";
            yield break;
        }
        var committed = Names(now, earlier).Where(n => !IsChanges(n) && now.GetValueOrDefault(n) != earlier.GetValueOrDefault(n)).ToList();
        var uncommitted = Names(now, earlier).Where(n => IsChanges(n) && now.GetValueOrDefault(n) != earlier.GetValueOrDefault(n)).ToList();
        if (committed.Count > 0) yield return "code: committed files" + PathsOf(committed);
        if (uncommitted.Count > 0) yield return "code: uncommitted changes" + PathsOf(uncommitted);
    }

    private static bool IsChanges(string entry) => entry == CodeIdentity.ChangesEntry || entry.EndsWith(CodeIdentity.ChangesSuffix, StringComparison.Ordinal);

    private static string Scope(IReadOnlyDictionary<string, string> code)
    {
        if (code.ContainsKey(CodeIdentity.TreeEntry)) return "the whole repository";
        return string.Join(", ", code.Keys.Where(k => k.EndsWith(CodeIdentity.ObjectSuffix, StringComparison.Ordinal))
            .Select(k => k[..^CodeIdentity.ObjectSuffix.Length]));
    }

    private static string PathsOf(List<string> entries)
    {
        var paths = entries.Where(e => e != CodeIdentity.TreeEntry && e != CodeIdentity.ChangesEntry)
            .Select(e => e.EndsWith(CodeIdentity.ObjectSuffix, StringComparison.Ordinal) ? e[..^CodeIdentity.ObjectSuffix.Length] : e[..^CodeIdentity.ChangesSuffix.Length])
            .ToList();
        return paths.Count == 0 ? "" : $" ({string.Join(", ", paths)})";
    }

    private static IEnumerable<string> Names(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);

    private static string Shown(string value) => value.Length <= 40 ? value : value[..37] + "...";
}
