using Dstack.Core.Planning;
using Dstack.Core.Tests.TestSupport;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

/// <summary>The workflow key `checkpoint_interval`: read from the file, checked, and carried to the planned job.</summary>
public class CheckpointIntervalTests
{
    private static string WithInterval(string value) => $"workflows:\n  - name: a\n    commands: [x]\n    checkpoint_interval: {value}\n";

    private static int? ParsedInterval(string value) => WorkflowSetParser.Parse(DstackFiles.Workflows(WithInterval(value))).Find("a")!.CheckpointIntervalSeconds;

    [Theory]
    [InlineData("90", 90)]
    [InlineData("0", 0)]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h", 3600)]
    [InlineData("'2M'", 120)]
    public void AWholeNumberOfSecondsOrADurationWithAUnit_IsRead(string value, int seconds) =>
        Assert.Equal(seconds, ParsedInterval(value));

    [Fact]
    public void AWorkflowWithoutTheKey_HasNoIntervalOfItsOwn() =>
        Assert.Null(WorkflowSetParser.Parse(DstackFiles.Workflows("workflows:\n  - name: a\n    commands: [x]\n")).Find("a")!.CheckpointIntervalSeconds);

    [Theory]
    [InlineData("-5")]
    [InlineData("1.5m")]
    [InlineData("10d")]
    [InlineData("often")]
    [InlineData("30 s")]
    [InlineData("99999999999")]
    [InlineData("1000000h")]
    public void AValueThatIsNotADuration_IsRefused_AtTheValue_SayingHowToWriteIt(string value)
    {
        var error = ParseErrors.Single(WithInterval(value));

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 4, 26), error.Location);
        Assert.Contains($"'checkpoint_interval' of workflow 'a' is '{value}', which is not a duration", error.Message, StringComparison.Ordinal);
        Assert.Contains("write a whole number of seconds ('checkpoint_interval: 90') or a duration ('30s', '5m', '1h'); 0 turns checkpoints off", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AVariable_IsRefused_BecauseTheIntervalMustBeALiteral()
    {
        var error = ParseErrors.Single(WithInterval("'${{ every }}'"), "variables:\n  a:\n    every: 30\n");

        Assert.Equal(new SourceLocation(".dstack/workflows.yaml", 4, 26), error.Location);
        Assert.Contains("variables are not allowed in 'checkpoint_interval'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[30]")]
    [InlineData("")]
    public void AListOrNothing_IsRefused(string value) =>
        Assert.Contains("'checkpoint_interval' of workflow 'a' is ", ParseErrors.Single(WithInterval(value)).Message, StringComparison.Ordinal);

    [Fact]
    public void AMisspelledKey_IsRefused_SuggestingCheckpointInterval() =>
        Assert.Contains("Did you mean 'checkpoint_interval'?", ParseErrors.Single("workflows:\n  - name: a\n    commands: [x]\n    checkpoint-interval: 30\n").Message, StringComparison.Ordinal);

    [Fact]
    public void ThePlannedJob_CarriesTheWorkflowsInterval_OrTheDefaultOf60Seconds()
    {
        var set = WorkflowSetParser.Parse(DstackFiles.Workflows("workflows:\n  - name: prep\n    commands: [x]\n  - name: train\n    commands: [x]\n    depends-on: [prep]\n    checkpoint_interval: 0\n"));

        var plan = RunPlanner.Plan(set, "train", new Dictionary<string, string>(), "r", () => Guid.NewGuid().ToString("N")[..12]);

        Assert.Equal(60, plan.Jobs.Single(j => j.Workflow == "prep").CheckpointIntervalSeconds);
        Assert.Equal(0, plan.Jobs.Single(j => j.Workflow == "train").CheckpointIntervalSeconds);
    }
}
