using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

public sealed class RepoIncludePathTests
{
    [Theory]
    [InlineData("src", "src")]
    [InlineData("./src/", "src")]
    [InlineData("src//models/", "src/models")]
    [InlineData("src/./models", "src/models")]
    [InlineData(" src ", "src")]
    [InlineData("src\\models", "src/models")]
    [InlineData(".", ".")]
    [InlineData("./", ".")]
    [InlineData("", ".")]
    public void Normalize_GivesOneSpellingPerPath(string written, string normalized) =>
        Assert.Equal(normalized, RepoIncludePath.Normalize(written));

    [Fact]
    public void NormalizeAll_DropsDuplicatesAndSorts() =>
        Assert.Equal(["lib", "src"], RepoIncludePath.NormalizeAll(["./src", "lib/", "src/"]));

    [Fact]
    public void NormalizeAll_OfAListWithTheRoot_IsTheWholeRepository()
    {
        Assert.Empty(RepoIncludePath.NormalizeAll(["src", "."]));
        Assert.Empty(RepoIncludePath.NormalizeAll([]));
    }
}
