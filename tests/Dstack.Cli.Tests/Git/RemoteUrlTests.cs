using Dstack.Cli.Git;

namespace Dstack.Cli.Tests.Git;

public class RemoteUrlTests
{
    [Theory]
    [InlineData("https://x-access-token:ghp_secret@github.com/you/repo.git", "https://github.com/you/repo.git", "ghp_secret")]
    [InlineData("https://alice:p%40ss@gitlab.example.com/group/repo", "https://gitlab.example.com/group/repo", "p@ss")]
    [InlineData("http://bob:tok@127.0.0.1:8080/repo.git", "http://127.0.0.1:8080/repo.git", "tok")]
    public void AUrlWithAPassword_IsKeptWithoutIt_AndThePasswordIsHandedBack(string url, string clean, string password)
    {
        var parsed = RemoteUrl.Parse(url);
        Assert.Equal(clean, parsed.Url);
        Assert.Equal(password, parsed.EmbeddedPassword);
    }

    [Theory]
    [InlineData("https://github.com/you/repo.git")]
    [InlineData("https://alice@bitbucket.org/team/repo.git")]
    [InlineData("git@github.com:you/repo.git")]
    [InlineData("ssh://git@host:2222/repo.git")]
    [InlineData("/srv/git/repo.git")]
    public void AUrlWithoutAPassword_IsKeptAsWritten(string url)
    {
        var parsed = RemoteUrl.Parse(url);
        Assert.Equal(url, parsed.Url);
        Assert.Null(parsed.EmbeddedPassword);
    }
}
