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

    public static async Task<Result> RunAsync(string directory, IEnumerable<string> args, CancellationToken ct = default)
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
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await Task.WhenAll(copy, error);
        await process.WaitForExitAsync(ct);
        return new Result(process.ExitCode, output.ToArray(), (await error).Trim());
    }

    /// <summary>Runs git and returns its stdout, or throws with git's own message when it fails.</summary>
    public static async Task<Result> RunCheckedAsync(string directory, IEnumerable<string> args, CancellationToken ct = default)
    {
        var result = await RunAsync(directory, args, ct);
        if (result.ExitCode != 0)
        {
            throw new Terminal.CliException($"git {string.Join(' ', args)} failed: {result.Error}");
        }
        return result;
    }
}
