using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Workflows;

public class VariableSubstitutionTests
{
    private static readonly VariableSubstitution Substitution = new(
        [new("model", "124M"), new("models_dir", "models"), new("batch-size", "64"), new("lr", "0.00002"), new("note", "two words")],
        runName: "fast-rabbit-1", jobId: "0123456789ab");

    [Theory]
    [InlineData("python dl.py ${{ model }}", "python dl.py 124M")]
    [InlineData("python dl.py ${{model}}", "python dl.py 124M")]
    [InlineData("python dl.py ${{   model\t}}", "python dl.py 124M")]
    [InlineData("--bs ${{ batch-size }}", "--bs 64")]
    [InlineData("${{ run_name }}/${{ job_id }}", "fast-rabbit-1/0123456789ab")]
    public void TheExplicitForm_IsReplaced_WithOrWithoutSpaces(string text, string expected) =>
        Assert.Equal(expected, Substitution.Apply(text));

    [Theory]
    [InlineData("python dl.py $model", "python dl.py 124M")]
    [InlineData("ls $models_dir/$model", "ls models/124M")]
    [InlineData("models/$model.ckpt", "models/124M.ckpt")]
    [InlineData("--run_name $run_name --id $job_id", "--run_name fast-rabbit-1 --id 0123456789ab")]
    [InlineData("$model$model", "124M124M")]
    public void TheLegacyForm_ReadsTheLongestIdentifier(string text, string expected) =>
        Assert.Equal(expected, Substitution.Apply(text));

    [Theory]
    [InlineData("echo $HOME $USER")]
    [InlineData("echo $1 $@ $? $#")]
    [InlineData("echo $$ $$model")]
    [InlineData("echo ${HOME} ${model} ${model:-x}")]
    [InlineData("echo $modelx $model_size")]
    [InlineData("echo $batch-size")]
    [InlineData("price: 5$")]
    [InlineData("no dollar at all")]
    public void EverythingElseAfterADollar_IsLeftForTheShell(string text) =>
        Assert.Equal(text, Substitution.Apply(text));

    [Fact]
    public void ASubstitutedValue_IsNeverScannedAgain()
    {
        var s = new VariableSubstitution([new("a", "$b"), new("b", "B")], "r", "j");

        Assert.Equal("$b B", s.Apply("$a ${{ b }}"));
    }

    [Fact]
    public void VariablesAsArgs_GivesEveryVariableInOrder_QuotingOnlyWhereNeeded()
    {
        Assert.Equal("--model 124M --models_dir models --batch-size 64 --lr 0.00002 --note 'two words'", Substitution.Apply("$variables_as_args"));
        Assert.Equal(Substitution.Apply("$variables_as_args"), Substitution.Apply("${{ variables_as_args }}"));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a/b-c_d.e:f@g%h+i=j,k", "a/b-c_d.e:f@g%h+i=j,k")]
    [InlineData("", "''")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("a;rm -rf /", "'a;rm -rf /'")]
    [InlineData("*", "'*'")]
    public void ShellQuote_QuotesWithSingleQuotes_OnlyWhenNeeded(string value, string expected) =>
        Assert.Equal(expected, VariableSubstitution.ShellQuote(value));

    [Fact]
    public void AUserRunNameOrJobId_TakesPrecedenceOverTheSystemValue()
    {
        var s = new VariableSubstitution([new("run_name", "run1"), new("job_id", "mine")], "fast-rabbit-1", "0123456789ab");

        Assert.Equal("run1 mine", s.Apply("$run_name ${{ job_id }}"));
        Assert.Equal("--run_name run1 --job_id mine", s.Apply("$variables_as_args"));
    }

    [Fact]
    public void FindReferences_ReportsBothFormsAndUnclosedOnes_WithTheirPlaces()
    {
        var references = VariableSubstitution.FindReferences("a ${{ x }} $y $$z ${w} ${{ bad");

        Assert.Equal(
            [new VariableReference("x", 2, 8, IsExplicit: true), new VariableReference("y", 11, 2, IsExplicit: false), new VariableReference("", 23, 3, IsExplicit: true, IsMalformed: true)],
            references);
    }

    [Fact]
    public void AnUnknownExplicitReference_IsLeftAsWritten()
    {
        Assert.Equal("${{ nope }}", Substitution.Apply("${{ nope }}"));
    }

    [Theory]
    [InlineData("batch-size", "BATCH_SIZE")]
    [InlineData("lr", "LR")]
    [InlineData("model.dir", "MODEL_DIR")]
    [InlineData("run_name", "RUN_NAME")]
    public void EnvironmentNames_AreUpperCase_WithUnderscoresForEverythingElse(string variable, string expected) =>
        Assert.Equal(expected, EnvironmentVariableName.Of(variable));
}
