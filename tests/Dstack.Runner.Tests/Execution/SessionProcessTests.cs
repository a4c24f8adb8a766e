using System.Text;
using Dstack.Runner.Execution;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Execution;

public sealed class SessionProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static async Task<(int ExitCode, string Out, string Error)> RunAsync(
        string script, string directory, IEnumerable<string>? hidden = null, IEnumerable<KeyValuePair<string, string>>? environment = null,
        bool folderByShell = false)
    {
        using var process = SessionProcess.Start("bash", ["bash", "-c", script], directory, hidden ?? [], environment ?? [], folderByShell);
        var output = new StreamReader(process.StandardOutput, Encoding.UTF8).ReadToEndAsync();
        var error = new StreamReader(process.StandardError, Encoding.UTF8).ReadToEndAsync();
        var code = await process.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        return (code, await output, await error);
    }

    [Fact]
    public async Task TheChildLeadsASessionOfItsOwn_WithEverySignalAtItsDefault_NoneBlocked_AndStdinAtEndOfFile()
    {
        // The runner's .NET ignores SIGPIPE: a child must not inherit that (`yes | head` would print Broken pipe).
        var (code, output, _) = await RunAsync(
            "echo \"pid $$ sid $(ps -o sid= -p $$ | tr -d ' ') pgid $(ps -o pgid= -p $$ | tr -d ' ')\"; grep -E '^Sig(Ign|Blk)' /proc/self/status; " +
            "cat; echo \"stdin $(readlink /proc/self/fd/0)\"; yes | head -n 1",
            _temp.Path);
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines[0].Split(' ');
        Assert.Equal(ids[1], ids[3]);
        Assert.Equal(ids[1], ids[5]);
        // Signals 1-31 (bits 0-30); glibc's posix_spawn leaves its own internal signals 32 and 33 ignored, which no
        // program outside glibc's threading uses.
        var ignored = Convert.ToUInt64(lines.Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))["SigIgn:".Length..].Trim(), 16);
        Assert.True((ignored & 0x7fffffff) == 0, output);
        Assert.Contains("SigBlk:\t0000000000000000", lines);
        Assert.Contains("stdin /dev/null", lines);
        Assert.Equal("y", lines[^1]);
    }

    [Fact]
    public async Task ItRunsInTheFolder_WithTheRunnersEnvironment_LessTheHidden_PlusTheGiven()
    {
        var folder = Directory.CreateDirectory(_temp.Combine("work dir")).FullName;
        Environment.SetEnvironmentVariable("DSTACK_SESSION_TEST_HIDDEN", "secret");
        Environment.SetEnvironmentVariable("DSTACK_SESSION_TEST_KEPT", "kept");
        try
        {
            var (code, output, _) = await RunAsync(
                "pwd; echo \"${DSTACK_SESSION_TEST_HIDDEN-unset} $DSTACK_SESSION_TEST_KEPT $GIVEN\"", folder,
                hidden: ["DSTACK_SESSION_TEST_HIDDEN"], environment: [new("GIVEN", "a b"), new("DSTACK_SESSION_TEST_KEPT", "overridden")]);
            Assert.Equal(0, code);
            Assert.Equal($"{folder}\nunset overridden a b\n", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DSTACK_SESSION_TEST_HIDDEN", null);
            Environment.SetEnvironmentVariable("DSTACK_SESSION_TEST_KEPT", null);
        }
    }

    [Fact]
    public async Task TheExitCodeIsTheProgramsOwn_Or128PlusTheSignalThatKilledIt()
    {
        Assert.Equal(3, (await RunAsync("echo out; echo err >&2; exit 3", _temp.Path)) is var r && r.Out == "out\n" && r.Error == "err\n" ? r.ExitCode : -1);
        Assert.Equal(128 + PosixSignals.SigKill, (await RunAsync("kill -KILL $$", _temp.Path)).ExitCode);
        Assert.Equal(128 + PosixSignals.SigTerm, (await RunAsync("kill -TERM $$", _temp.Path)).ExitCode);
    }

    [Fact]
    public void AMissingFolderOrProgramIsAnErrorNamingIt()
    {
        var missing = _temp.Combine("missing");
        var folder = Assert.Throws<IOException>(() => SessionProcess.Start("bash", ["bash", "-c", "true"], missing, [], []));
        Assert.Contains(missing, folder.Message);
        var program = Assert.Throws<IOException>(() => SessionProcess.Start("no-such-program-xyz", ["no-such-program-xyz"], _temp.Path, [], []));
        Assert.Contains("no-such-program-xyz", program.Message);
    }

    [Fact]
    public async Task WithoutAFolderChangeInPosixSpawn_AShellEntersTheFolder_SameSessionEnvironmentAndExitCode()
    {
        // The path glibc older than 2.29 takes (no posix_spawn_file_actions_addchdir_np).
        var folder = Directory.CreateDirectory(_temp.Combine("-odd dir")).FullName;
        var (code, output, _) = await RunAsync(
            "pwd; echo \"$GIVEN $(ps -o sid= -p $$ | tr -d ' ') $$\"; grep -E '^SigIgn' /proc/self/status; exit 4", folder,
            environment: [new("GIVEN", "given")], folderByShell: true);
        Assert.Equal(4, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(folder, lines[0]);
        var words = lines[1].Split(' ');
        Assert.Equal("given", words[0]);
        Assert.Equal(words[1], words[2]);
        var ignored = Convert.ToUInt64(lines[2]["SigIgn:".Length..].Trim(), 16);
        Assert.True((ignored & 0x7fffffff) == 0, output);

        var (missing, _, error) = await RunAsync("true", _temp.Combine("gone"), folderByShell: true);
        Assert.Equal(126, missing);
        Assert.Contains("gone", error);
    }

    [Fact]
    public void AProgramIsFoundInTheFirstFolderOfPathHoldingAnExecutableOfThatName()
    {
        var first = Directory.CreateDirectory(_temp.Combine("first")).FullName;
        var second = Directory.CreateDirectory(_temp.Combine("second")).FullName;
        File.WriteAllText(Path.Combine(first, "tool"), "not executable");
        File.WriteAllText(Path.Combine(second, "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(second, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(Path.Combine(second, "tool"), ExecutableSearch.Find("tool", $"{first}:{second}"));
        Assert.Null(ExecutableSearch.Find("tool", first));
    }

    public void Dispose() => _temp.Dispose();
}
