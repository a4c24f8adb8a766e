using Dstack.Cli.Git;

namespace Dstack.Cli.Tests.Git;

public class RemoteConfigTests
{
    [Fact]
    public void ARemotesFirstUrlIsTheOneFetched_InTheOrderGitListsThem()
    {
        var config = RemoteConfig.Parse("remote.b.url\nhttps://b/1\0remote.a.url\nhttps://a\0remote.b.url\nhttps://b/2\0");
        Assert.Equal(["b", "a"], config.Remotes);
        Assert.Equal("https://b/1", config.FetchUrl("b"));
    }

    [Fact]
    public void TheLastUpstreamWins_AsWithGitConfigGet()
    {
        var config = RemoteConfig.Parse("remote.a.url\nx\0remote.b.url\ny\0branch.main.remote\na\0branch.main.remote\nb\0");
        Assert.Equal("b", config.UpstreamOf("main"));
        Assert.Null(config.UpstreamOf("other"));
    }

    [Fact]
    public void AKeyWithoutValueOrAnEmptyInsteadOfIsIgnored()
    {
        var config = RemoteConfig.Parse("remote.a.url\0remote.b.url\nhttps://b\0url.https://x/.insteadof\n\0");
        Assert.Equal(["b"], config.Remotes);
        Assert.Equal("https://b", config.FetchUrl("b"));
    }

    [Fact]
    public void InsteadOfRewritesOnlyAPrefix()
    {
        var config = RemoteConfig.Parse("remote.o.url\nmy-gh:acme/m.git\0url.https://github.com/.insteadof\ngh:\0");
        Assert.Equal("my-gh:acme/m.git", config.FetchUrl("o"));
    }
}
