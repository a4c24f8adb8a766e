using System.Text;
using Dstack.Cli.Logs;
using Dstack.Contracts.Logs;

namespace Dstack.Cli.Tests.Logs;

/// <summary>The logs of a resumed job: every attempt in order, each marked, alone or among a run's other jobs.</summary>
public class AttemptMarkerTests
{
    private const string Download = "aaaaaaaaaaaa";
    private const string Train = "bbbbbbbbbbbb";

    private static readonly IReadOnlyDictionary<string, string> TwoJobs = LogLinePrefixer.PrefixesFor(new Dictionary<string, string>
    {
        [Download] = "download-model",
        [Train] = "train",
    });

    private static LogRecord Record(string job, int attempt, string text) => new()
    {
        JobId = job,
        Attempt = attempt,
        Stream = LogStream.Stdout,
        Time = DateTimeOffset.UnixEpoch,
        Offset = 0,
        Data = Encoding.UTF8.GetBytes(text),
    };

    private static async Task<string> WriteAsync(IReadOnlyDictionary<string, string>? prefixes, Dictionary<string, int> attempts, params LogRecord[] records)
    {
        var output = new MemoryStream();
        var writer = new LogRecordWriter(new LogLinePrefixer(output, prefixes), new AttemptMarkers(attempts));
        foreach (var record in records) await writer.WriteAsync(record, default);
        await writer.FlushAsync(default);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task AJobWithOneAttempt_GetsNoMarker_ItsBytesPassAsWritten()
    {
        var text = await WriteAsync(null, new() { [Download] = 1 }, Record(Download, 1, "10%\r100%"), Record(Download, 1, " done\n"));

        Assert.Equal("10%\r100% done\n", text);
    }

    [Fact]
    public async Task AResumedJob_ShowsEachAttemptInOrder_EachMarked()
    {
        var text = await WriteAsync(null, new() { [Download] = 3 },
            Record(Download, 1, "step 1\nstep 2\n"),
            Record(Download, 2, "restored at step 2\n"),
            Record(Download, 2, "step 3\n"),
            Record(Download, 3, "step 4\n"));

        Assert.Equal(
            "--- attempt 1 ---\nstep 1\nstep 2\n--- attempt 2 (resumed) ---\nrestored at step 2\nstep 3\n--- attempt 3 (resumed) ---\nstep 4\n",
            text);
    }

    [Fact]
    public async Task AnAttemptThatEndedMidLine_IsEndedBeforeTheNextMarker()
    {
        var text = await WriteAsync(null, new() { [Download] = 2 }, Record(Download, 1, "counting 41"), Record(Download, 2, "counting 42\n"));

        Assert.Equal("--- attempt 1 ---\ncounting 41\n--- attempt 2 (resumed) ---\ncounting 42\n", text);
    }

    [Fact]
    public async Task InARun_AttemptsOfSeveralJobsInterleaved_AreMarkedWithTheirWorkflowsPrefix()
    {
        var text = await WriteAsync(TwoJobs, new() { [Download] = 2, [Train] = 2 },
            Record(Download, 1, "fetch 1\n"),
            Record(Train, 1, "epoch 1\n"),
            Record(Download, 1, "fetch 2\n"),
            Record(Download, 2, "fetch 3\n"),
            Record(Train, 2, "epoch 2\n"),
            Record(Download, 2, "fetched\n"));

        Assert.Equal(
            "download-model | --- attempt 1 ---\n" +
            "download-model | fetch 1\n" +
            "train          | --- attempt 1 ---\n" +
            "train          | epoch 1\n" +
            "download-model | fetch 2\n" +
            "download-model | --- attempt 2 (resumed) ---\n" +
            "download-model | fetch 3\n" +
            "train          | --- attempt 2 (resumed) ---\n" +
            "train          | epoch 2\n" +
            "download-model | fetched\n",
            text);
    }

    [Fact]
    public async Task InARun_OnlyTheJobWithSeveralAttempts_IsMarked()
    {
        var text = await WriteAsync(TwoJobs, new() { [Download] = 1, [Train] = 2 },
            Record(Download, 1, "fetch\n"),
            Record(Train, 1, "epoch 1\n"),
            Record(Train, 2, "epoch 2\n"));

        Assert.Equal(
            "download-model | fetch\ntrain          | --- attempt 1 ---\ntrain          | epoch 1\ntrain          | --- attempt 2 (resumed) ---\ntrain          | epoch 2\n",
            text);
    }

    [Fact]
    public async Task InARun_AJobsHeldBackPartialLine_IsEndedBeforeItsMarker()
    {
        var text = await WriteAsync(TwoJobs, new() { [Download] = 2, [Train] = 1 },
            Record(Download, 1, "half a li"),
            Record(Train, 1, "epoch 1\n"),
            Record(Download, 2, "whole line\n"));

        Assert.Equal(
            "download-model | --- attempt 1 ---\ntrain          | epoch 1\ndownload-model | half a li\ndownload-model | --- attempt 2 (resumed) ---\ndownload-model | whole line\n",
            text);
    }

    [Fact]
    public async Task ALogReadFromALaterAttempt_SaysWhichAttemptItIs()
    {
        // `logs --since` may skip the first attempt entirely.
        var text = await WriteAsync(null, new() { [Download] = 2 }, Record(Download, 2, "step 3\n"));

        Assert.Equal("--- attempt 2 (resumed) ---\nstep 3\n", text);
    }

    [Fact]
    public async Task ANewAttemptSeenWhileFollowing_IsMarked_EvenIfTheJobHadOneAttemptWhenTheLogOpened()
    {
        var text = await WriteAsync(TwoJobs, new() { [Download] = 1, [Train] = 1 },
            Record(Download, 1, "fetch\n"),
            Record(Download, 2, "fetch again\n"));

        Assert.Equal("download-model | fetch\ndownload-model | --- attempt 2 (resumed) ---\ndownload-model | fetch again\n", text);
    }

    [Fact]
    public void TheNumberOfAttempts_IsTheLongerOfTheListAndTheCurrentAttempt()
    {
        var job = Support.SampleJobs.Job(Download, "download-model", Dstack.Contracts.Jobs.JobStatus.Running);

        Assert.Equal(1, AttemptMarkers.AttemptsOf(job));
        Assert.Equal(2, AttemptMarkers.AttemptsOf(job with { Attempt = 2 }));
        Assert.Equal(3, AttemptMarkers.AttemptsOf(job with { Attempts = [Attempt(1), Attempt(2), Attempt(3)] }));
    }

    private static Dstack.Contracts.Jobs.JobAttempt Attempt(int n) => new() { Attempt = n, Status = Dstack.Contracts.Jobs.JobStatus.Stopped };
}
