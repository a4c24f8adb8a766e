using Dstack.Cli.Terminal;

namespace Dstack.Cli.Tests.Terminal;

public class TextTableTests
{
    private static string Render(TextTable table)
    {
        var writer = new StringWriter();
        table.WriteTo(writer);
        return writer.ToString();
    }

    [Fact]
    public void ColumnsAreAsWideAsTheirWidestCellWithTwoBlanksBetweenAndNoneAtTheEnd()
    {
        var table = new TextTable("RUN", "STATUS", "REASON");
        table.AddRow("fast-rabbit-1", "DONE", "");
        table.AddRow("a", "FAILED", "exit code 2");
        Assert.Equal(
            "RUN            STATUS  REASON\n" +
            "fast-rabbit-1  DONE\n" +
            "a              FAILED  exit code 2\n", Render(table));
    }

    [Fact]
    public void RightAlignedColumnsPadOnTheLeft()
    {
        var table = new TextTable("ARTIFACT", "SIZE", "FILES").AlignRight("SIZE", "FILES");
        table.AddRow("model", "1.2 GB", "3");
        table.AddRow("out", "12 B", "1200");
        Assert.Equal(
            "ARTIFACT    SIZE  FILES\n" +
            "model     1.2 GB      3\n" +
            "out         12 B   1200\n", Render(table));
    }

    [Fact]
    public void WideCharactersTakeTwoCellsAndCombiningMarksNone()
    {
        var table = new TextTable("TAG", "RUNNER");
        table.AddRow("日本", "x");
        table.AddRow("e\u0301te", "y");
        table.AddRow("ab", "z");
        Assert.Equal(
            "TAG   RUNNER\n" +
            "日本  x\n" +
            "e\u0301te   y\n" +
            "ab    z\n", Render(table));
    }

    [Fact]
    public void ALineBreakOrControlCharacterInACellKeepsTheRowOnOneLine()
    {
        var table = new TextTable("JOB", "REASON");
        table.AddRow("1", "the commands failed:\r\nline two\tand a tab\u001b[31m\u2028red");
        Assert.Equal("JOB  REASON\n1    the commands failed: line two and a tab [31m red\n", Render(table));
    }

    [Fact]
    public void ARowOfTheWrongLengthOrAnUnknownColumnIsRefused()
    {
        var table = new TextTable("A", "B");
        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
        Assert.Throws<ArgumentException>(() => table.AlignRight("C"));
    }
}
