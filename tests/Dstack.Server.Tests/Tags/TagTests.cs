using System.Net;
using Dstack.Contracts.Client;
using Dstack.Server.Tests.Support;

namespace Dstack.Server.Tests.Tags;

public sealed class TagTests
{
    private const string OtherRepoUrl = "https://example.com/another.git";

    [Fact]
    public async Task ATaggedRun_ShowsItsTag_InTheAnswer_TheStatusList_AndTheRun()
    {
        await using var harness = await ServerHarness.StartAsync();
        var run = await harness.SubmitAsync("encode-dataset");

        var tagged = await harness.User.TagRunAsync(run.RunName, "latest");
        var listed = Assert.Single(await harness.User.ListRunsAsync(Workflows.RepoUrl));
        var shown = await harness.User.FindRunAsync(run.RunName);

        Assert.Equal((run.RunName, "latest"), (tagged.RunName, tagged.Tag));
        Assert.Equal("latest", listed.Tag);
        Assert.Equal("latest", shown!.Tag);
        Assert.Equal(run.Jobs.Select(j => j.JobId), tagged.Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task ATagThatAnotherRunOfTheRepositoryHas_IsRefused_NamingThatRun_AndSayingHowToFreeIt()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.SubmitAsync("encode-dataset");
        var second = await harness.SubmitAsync("encode-dataset");
        await harness.User.TagRunAsync(first.RunName, "latest");

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.TagRunAsync(second.RunName, "latest"));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Contains($"run {first.RunName}", error.Message);
        Assert.Contains("dstack untag latest", error.Message);
        Assert.Equal("latest", (await harness.User.FindRunAsync(first.RunName))!.Tag);
        Assert.Null((await harness.User.FindRunAsync(second.RunName))!.Tag);
    }

    [Fact]
    public async Task TheSameTag_InTwoRepositories_IsAllowed()
    {
        await using var harness = await ServerHarness.StartAsync();
        var here = await harness.SubmitAsync("encode-dataset");
        var there = await harness.SubmitAsync("encode-dataset", repoUrl: OtherRepoUrl);

        await harness.User.TagRunAsync(here.RunName, "latest");
        var tagged = await harness.User.TagRunAsync(there.RunName, "latest");

        Assert.Equal("latest", tagged.Tag);
        Assert.Equal("latest", (await harness.User.FindRunAsync(here.RunName))!.Tag);
    }

    [Fact]
    public async Task TaggingARunAgain_ReplacesItsTag_AndFreesTheOldOne()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.SubmitAsync("encode-dataset");
        var second = await harness.SubmitAsync("encode-dataset");
        await harness.User.TagRunAsync(first.RunName, "v1");

        var same = await harness.User.TagRunAsync(first.RunName, "v1");
        var renamed = await harness.User.TagRunAsync(first.RunName, "v2");
        var oldTagElsewhere = await harness.User.TagRunAsync(second.RunName, "v1");

        Assert.Equal("v1", same.Tag);
        Assert.Equal("v2", renamed.Tag);
        Assert.Equal("v1", oldTagElsewhere.Tag);
        Assert.Equal("v2", (await harness.User.FindRunAsync(first.RunName))!.Tag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-latest")]
    [InlineData(".hidden")]
    [InlineData("two words")]
    [InlineData("prepare:latest")]
    [InlineData("a/b")]
    [InlineData("ünicode")]
    [InlineData("x1234567890123456789012345678901234567890123456789012345678901234")]
    public async Task AnInvalidTagName_IsRefused_SayingTheRule(string tag)
    {
        await using var harness = await ServerHarness.StartAsync();
        var run = await harness.SubmitAsync("encode-dataset");

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.TagRunAsync(run.RunName, tag));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("is not a valid tag name: a tag starts with a letter or a digit", error.Message);
        Assert.Null((await harness.User.FindRunAsync(run.RunName))!.Tag);
    }

    [Fact]
    public async Task TheLongestAllowedName_AndDotsDashesUnderscores_AreAccepted()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.SubmitAsync("encode-dataset");
        var second = await harness.SubmitAsync("encode-dataset");
        var longest = "v" + new string('9', 62);

        Assert.Equal(longest, (await harness.User.TagRunAsync(first.RunName, longest)).Tag);
        Assert.Equal("1.2_rc-3", (await harness.User.TagRunAsync(second.RunName, "1.2_rc-3")).Tag);
    }

    [Fact]
    public async Task TaggingAnUnknownRun_IsNotFound()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.TagRunAsync("no-such-run-1", "latest"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("no run named no-such-run-1", error.Message);
    }

    [Fact]
    public async Task Untag_TakesTheTagOff_AnswersWithTheRun_AndAnotherRunMayTakeIt()
    {
        await using var harness = await ServerHarness.StartAsync();
        var first = await harness.SubmitAsync("encode-dataset");
        var second = await harness.SubmitAsync("encode-dataset");
        await harness.User.TagRunAsync(first.RunName, "latest");

        var untagged = await harness.User.UntagAsync("latest", Workflows.RepoUrl);
        var retagged = await harness.User.TagRunAsync(second.RunName, "latest");

        Assert.Equal((first.RunName, (string?)null), (untagged.RunName, untagged.Tag));
        Assert.Null((await harness.User.FindRunAsync(first.RunName))!.Tag);
        Assert.Equal("latest", retagged.Tag);
    }

    [Fact]
    public async Task UntagOfATagNoRunOfTheRepositoryHas_IsNotFound_EvenWhenAnotherRepositoryHasIt()
    {
        await using var harness = await ServerHarness.StartAsync();
        var there = await harness.SubmitAsync("encode-dataset", repoUrl: OtherRepoUrl);
        await harness.User.TagRunAsync(there.RunName, "latest");

        var unknown = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.UntagAsync("nightly", Workflows.RepoUrl));
        var otherRepository = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.UntagAsync("latest", Workflows.RepoUrl));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains($"no run of {Workflows.RepoUrl} is tagged nightly", unknown.Message);
        Assert.Equal(HttpStatusCode.NotFound, otherRepository.StatusCode);
        Assert.Equal("latest", (await harness.User.FindRunAsync(there.RunName))!.Tag);
    }

    [Fact]
    public async Task UntagWithoutARepository_IsRefused()
    {
        await using var harness = await ServerHarness.StartAsync();

        var error = await Assert.ThrowsAsync<DstackApiException>(() => harness.User.UntagAsync("latest", ""));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("`repo`", error.Message);
    }
}
