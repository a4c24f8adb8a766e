using System.Text;
using Dstack.Runner.Execution;
using Dstack.Runner.Files;
using Dstack.Runner.Jobs;
using Dstack.Runner.Logs;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Files;

public sealed class InPlaceFileTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void AShorterContentOverwritesTheOldBytes_AndTheRestIsCut_InTheSameFile()
    {
        var path = _temp.Combine("f");
        InPlaceFile.Write(path, "long content"u8);
        // A handle opened before the rewrite sees the new bytes: the same file, not a new one put in its place.
        using var before = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        InPlaceFile.Write(path, "short"u8);
        Assert.Equal("short", new StreamReader(before).ReadToEnd());
        Assert.Equal("short", File.ReadAllText(path));
        InPlaceFile.Write(path, "longer than before"u8);
        Assert.Equal("longer than before", File.ReadAllText(path));
        InPlaceFile.Write(path, []);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task AShorterScriptRunsOnlyItsOwnCommands()
    {
        var folder = _temp.Combine("scripts");
        JobScript.Write(folder, 0, ["echo one", "echo two", "echo three; echo and more"]);
        var script = JobScript.Write(folder, 0, ["echo only"]);
        var spoolPath = _temp.Combine("spool.log");
        using (var spool = LogSpool.Create(spoolPath))
        using (var process = JobProcess.Start(script, Directory.CreateDirectory(_temp.Combine("ws")).FullName, new JobMarker("abcabcabcabc", 1), new Dictionary<string, string>(), spool))
        {
            Assert.Equal(0, (await process.WaitAsync(CancellationToken.None)).ExitCode);
        }
        var output = Encoding.UTF8.GetString(File.ReadAllBytes(spoolPath));
        Assert.Contains("only\n", output);
        Assert.DoesNotContain("one", output);
    }

    [Fact]
    public void AShorterJobRecordReadsBackWhole_AndAClearedOneAsNone()
    {
        var slot = Directory.CreateDirectory(_temp.Combine("slot")).FullName;
        SlotJobFile.Save(slot, new SlotJobRecord { JobId = "aaaaaaaaaaaa", Attempt = 12345, ProcessGroupId = 1234567, StartTicks = 123456789 });
        SlotJobFile.Save(slot, new SlotJobRecord { JobId = "bbbbbbbbbbbb", Attempt = 1, ProcessGroupId = 2, StartTicks = 3 });
        var record = SlotJobFile.Load(slot);
        Assert.Equal(("bbbbbbbbbbbb", 1, 2, 3L), (record!.JobId, record.Attempt, record.ProcessGroupId, record.StartTicks));
        SlotJobFile.Clear(slot);
        Assert.Null(SlotJobFile.Load(slot));
    }

    public void Dispose() => _temp.Dispose();
}
