using System.Diagnostics;
using System.Text;

namespace Dstack.Cli.Git;

/// <summary>Runs the `git` command line (the user's git: their config, their credentials) and captures its output.</summary>
public static class GitCommand
{
    public sealed record Result(int ExitCode, byte[] Output, string Error)
    {
        public string Text => Encoding.UTF8.GetString(Output).TrimEnd('\n', '\r');
    }

    public static Task<Result> RunAsync(string directory, IEnumerable<string> args, CancellationToken ct = default) =>
        RunAsync(directory, args, input: null, ct);

    /// <summary>Runs git with the given bytes on its stdin (for the `--batch` commands that answer many questions in one process).</summary>
    public static async Task<Result> RunAsync(string directory, IEnumerable<string> args, byte[]? input, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(directory);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Plain messages in the user's language are fine, but never a pager or a credential prompt from a CLI helper.
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        info.Environment["GIT_PAGER"] = "cat";

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start git");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        // Written while stdout is drained, so a large answer cannot block git (and us) on a full pipe.
        var write = WriteInputAsync(process, input, ct);
        await Task.WhenAll(copy, error, write);
        await process.WaitForExitAsync(ct);
        return new Result(process.ExitCode, output.ToArray(), (await error).Trim());
    }

    private static async Task WriteInputAsync(Process process, byte[]? input, CancellationToken ct)
    {
        try
        {
            if (input is not null) await process.StandardInput.BaseStream.WriteAsync(input, ct);
        }
        finally
        {
            process.StandardInput.Close();
        }
    }

    /// <summary>Runs git and returns its stdout, or throws with git's own message when it fails.</summary>
    public static Task<Result> RunCheckedAsync(string directory, IEnumerable<string> args, CancellationToken ct = default) =>
        RunCheckedAsync(directory, args, input: null, ct);

    /// <summary>As <see cref="RunCheckedAsync(string, IEnumerable{string}, CancellationToken)"/>, with bytes on git's stdin.</summary>
    public static async Task<Result> RunCheckedAsync(string directory, IEnumerable<string> args, byte[]? input, CancellationToken ct = default)
    {
        var result = await RunAsync(directory, args, input, ct);
        if (result.ExitCode != 0)
        {
            throw new Terminal.CliException($"git {string.Join(' ', args)} failed: {result.Error}");
        }
        return result;
    }
}
