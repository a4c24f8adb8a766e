using System.Text;
using Dstack.Cli.Logs;

namespace Dstack.Cli.Tests.Logs;

public class LogLinePrefixerTests
{
    private static readonly IReadOnlyDictionary<string, string> TwoJobs = LogLinePrefixer.PrefixesFor(new Dictionary<string, string>
    {
        ["aaaaaaaaaaaa"] = "download-model",
        ["bbbbbbbbbbbb"] = "train",
    });

    private static async Task<byte[]> WriteAsync(IReadOnlyDictionary<string, string>? prefixes, params (string Job, string Text)[] records)
    {
        var output = new MemoryStream();
        var writer = new LogLinePrefixer(output, prefixes);
        foreach (var (job, text) in records) await writer.WriteAsync(job, Encoding.UTF8.GetBytes(text), default);
        await writer.FlushAsync(default);
        return output.ToArray();
    }

    [Fact]
    public async Task OneJobsBytesPassThroughExactly()
    {
        var bytes = new byte[] { 0xff, 0xfe, (byte)'a', (byte)'\r', (byte)'b' };
        var output = new MemoryStream();
        var writer = new LogLinePrefixer(output, prefixes: null);
        await writer.WriteAsync("aaaaaaaaaaaa", bytes, default);
        await writer.FlushAsync(default);
        Assert.Equal(bytes, output.ToArray());
    }

    [Fact]
    public async Task EachLineOfSeveralJobsIsPrefixedWithItsWorkflowPaddedToTheLongest()
    {
        var output = await WriteAsync(TwoJobs, ("aaaaaaaaaaaa", "one\ntwo\n"), ("bbbbbbbbbbbb", "three\n"));
        Assert.Equal("download-model | one\ndownload-model | two\ntrain          | three\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task CarriageReturnsStayInsideTheirLine()
    {
        var output = await WriteAsync(TwoJobs, ("aaaaaaaaaaaa", "10%\r50%\r100%\n"));
        Assert.Equal("download-model | 10%\r50%\r100%\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task APartialLineWaitsForItsEndWhileAnotherJobsLinesPass()
    {
        var output = await WriteAsync(TwoJobs,
            ("aaaaaaaaaaaa", "downlo"),
            ("bbbbbbbbbbbb", "step 1\n"),
            ("aaaaaaaaaaaa", "ading\nrest"));
        Assert.Equal("train          | step 1\ndownload-model | downloading\ndownload-model | rest\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task UnfinishedLinesOfSeveralJobsAreEachEndedAtTheEndOfTheStream()
    {
        var output = await WriteAsync(TwoJobs, ("aaaaaaaaaaaa", "no newline"), ("bbbbbbbbbbbb", "nor here"));
        Assert.Equal("download-model | no newline\ntrain          | nor here\n", Encoding.UTF8.GetString(output));
    }

    [Fact]
    public async Task NonUtf8BytesSurviveThePrefixing()
    {
        var output = new MemoryStream();
        var writer = new LogLinePrefixer(output, TwoJobs);
        await writer.WriteAsync("bbbbbbbbbbbb", new byte[] { 0xc3, 0x28, (byte)'\n' }, default);
        await writer.FlushAsync(default);
        Assert.Equal([.. Encoding.UTF8.GetBytes("train          | "), 0xc3, 0x28, (byte)'\n'], output.ToArray());
    }
}
