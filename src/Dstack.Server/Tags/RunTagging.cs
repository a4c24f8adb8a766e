using Dstack.Contracts.Runs;
using Dstack.Contracts.Tags;
using Dstack.Server.Auth;
using Dstack.Server.Errors;
using Dstack.Server.Runs;

namespace Dstack.Server.Tags;

/// <summary>`dstack tag RUN NAME` and `dstack untag NAME` on the server; both answer with the run as it is afterwards.</summary>
public sealed class RunTagging(ITagStore tags, IRunStore runs, RunViews views)
{
    public RunInfo Tag(Principal user, string runName, TagRequest request)
    {
        TagName.Check(request.Tag);
        tags.SetTag(user.Owner, runName, request.Tag);
        return Show(user, runName);
    }

    public RunInfo Untag(Principal user, string tag, string? repoUrl)
    {
        if (string.IsNullOrWhiteSpace(repoUrl)) throw ApiErrorException.BadRequest("query parameter `repo` (the repository URL) is required");
        var runName = tags.RemoveTag(user.Owner, repoUrl, tag)
            ?? throw ApiErrorException.NotFound($"no run of {repoUrl} is tagged {tag}: `dstack status` shows the runs' tags");
        return Show(user, runName);
    }

    private RunInfo Show(Principal user, string runName) =>
        views.Build(runs.FindRun(user.Owner, runName)
            ?? throw ApiErrorException.NotFound($"run {runName} was removed (by `dstack prune`) while it was being tagged"));
}
