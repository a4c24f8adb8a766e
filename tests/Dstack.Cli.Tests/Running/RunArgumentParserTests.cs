using Dstack.Cli.Running;
using Dstack.Cli.Terminal;
using Dstack.Cli.Tests.Support;

namespace Dstack.Cli.Tests.Running;

public class RunArgumentParserTests
{
    private static RunArguments Parse(params string[] tokens) => RunArgumentParser.Parse(tokens, SampleWorkflows.Parse());

    [Fact]
    public void AnOptionTakesTheNextTokenAsItsValue()
    {
        var args = Parse("download-model", "--model", "117M");
        Assert.Equal("download-model", args.Workflow);
        Assert.Equal("117M", args.Overrides["model"]);
        Assert.False(args.Follow);
    }

    [Fact]
    public void AnOptionWithEqualsCarriesItsValue()
    {
        var args = Parse("download-model", "--model=117M", "--models_dir=a=b");
        Assert.Equal("117M", args.Overrides["model"]);
        Assert.Equal("a=b", args.Overrides["models_dir"]);
    }

    [Fact]
    public void AnEmptyValueAfterEqualsIsAValue()
    {
        Assert.Equal("", Parse("download-model", "--model=").Overrides["model"]);
    }

    [Theory]
    [InlineData("-f", "download-model", "--model", "1")]
    [InlineData("download-model", "-f", "--model", "1")]
    [InlineData("download-model", "--model", "1", "--follow")]
    public void FollowIsRecognisedAnywhere(params string[] tokens)
    {
        var args = Parse(tokens);
        Assert.True(args.Follow);
        Assert.Equal("download-model", args.Workflow);
        Assert.Equal("1", args.Overrides["model"]);
    }

    [Fact]
    public void ANegativeNumberIsAValueNotAnOption()
    {
        Assert.Equal("-0.5", Parse("finetune-model", "--learning_rate", "-0.5").Overrides["learning_rate"]);
    }

    [Fact]
    public void AVariableOfADependencyIsAnOptionOfTheDependentWorkflow()
    {
        Assert.Equal("1e-4", Parse("finetune-model", "--learning_rate", "1e-4", "--model", "117M").Overrides["learning_rate"]);
    }

    [Fact]
    public void AnUnknownOptionIsRefusedNamingItAndTheValidOnes()
    {
        var error = Assert.Throws<CliException>(() => Parse("download-model", "--learning_rate", "1"));
        Assert.Contains("unknown option --learning_rate for workflow download-model", error.Message);
        Assert.Contains("--model, --models_dir, -f/--follow, --no-cache, --dry-run", error.Message);
    }

    [Fact]
    public void AnUnknownSingleDashOptionIsRefused()
    {
        var error = Assert.Throws<CliException>(() => Parse("download-model", "-x"));
        Assert.Contains("unknown option -x", error.Message);
    }

    [Theory]
    [InlineData("download-model", "--model")]
    [InlineData("download-model", "--model", "--models_dir", "m")]
    [InlineData("download-model", "--model", "-f")]
    public void AnOptionWithoutItsValueIsRefusedNamingIt(params string[] tokens)
    {
        var error = Assert.Throws<CliException>(() => Parse(tokens));
        Assert.Contains("option --model needs a value", error.Message);
    }

    [Fact]
    public void AnUnknownWorkflowIsRefusedListingTheWorkflows()
    {
        var error = Assert.Throws<CliException>(() => Parse("train", "--model", "1"));
        Assert.Equal("unknown workflow 'train': the workflows are download-model, encode-dataset, finetune-model", error.Message);
    }

    [Fact]
    public void ASecondPositionalArgumentIsRefused()
    {
        var error = Assert.Throws<CliException>(() => Parse("download-model", "encode-dataset"));
        Assert.Contains("unexpected argument 'encode-dataset'", error.Message);
    }

    [Fact]
    public void HelpWinsOverOptionsThatWouldBeErrors()
    {
        var args = Parse("download-model", "--nope", "--help");
        Assert.True(args.Help);
        Assert.Equal("download-model", args.Workflow);
    }

    [Fact]
    public void NoTokensMeansNoWorkflow()
    {
        var args = Parse();
        Assert.Null(args.Workflow);
        Assert.False(args.Help);
    }

    [Theory]
    [InlineData("--no-cache", "download-model", "--model", "1")]
    [InlineData("download-model", "--no-cache", "--model", "1")]
    [InlineData("download-model", "--model", "1", "--no-cache")]
    public void NoCacheIsRecognisedAnywhere(params string[] tokens)
    {
        var args = Parse(tokens);
        Assert.True(args.NoCache);
        Assert.False(args.DryRun);
        Assert.Equal("1", args.Overrides["model"]);
    }

    [Theory]
    [InlineData("--dry-run", "download-model", "--model", "1")]
    [InlineData("download-model", "--model", "1", "--dry-run")]
    public void DryRunIsRecognisedAnywhere(params string[] tokens)
    {
        var args = Parse(tokens);
        Assert.True(args.DryRun);
        Assert.False(args.NoCache);
        Assert.Equal("1", args.Overrides["model"]);
    }

    [Fact]
    public void NeitherFlagIsSetByDefault()
    {
        var args = Parse("download-model");
        Assert.False(args.NoCache);
        Assert.False(args.DryRun);
    }

    [Fact]
    public void DryRunAndNoCacheGoTogether()
    {
        var args = Parse("download-model", "--dry-run", "--no-cache");
        Assert.True(args.DryRun);
        Assert.True(args.NoCache);
    }

    [Fact]
    public void ADryRunCannotBeFollowed()
    {
        var error = Assert.Throws<CliException>(() => Parse("download-model", "--dry-run", "-f"));
        Assert.Equal("--dry-run submits nothing, so there is nothing to follow: drop -f/--follow", error.Message);
    }

    [Theory]
    [InlineData("--no-cache=1", "--no-cache")]
    [InlineData("--dry-run=yes", "--dry-run")]
    [InlineData("--follow=true", "--follow")]
    public void RunsOwnFlagsTakeNoValue(string token, string flag)
    {
        var error = Assert.Throws<CliException>(() => Parse("download-model", token));
        Assert.Equal($"{flag} takes no value: write {flag} alone", error.Message);
    }

    [Fact]
    public void TheFlagsAreNotMistakenForTheValueOfAVariable()
    {
        var error = Assert.Throws<CliException>(() => Parse("download-model", "--model", "--no-cache"));
        Assert.Contains("option --model needs a value", error.Message);
    }
}
