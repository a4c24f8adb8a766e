using System.Diagnostics;

namespace Dstack.Runner.Workspace;

/// <summary>
/// Runs the `git` command line (it does HTTPS tokens and SSH keys the way users' git does). Arguments go
/// through ArgumentList, never a shell; secrets only ever travel in the environment.
/// </summary>
public static class GitProcess
{
    public static async Task<GitResult> RunAsync(
        string? workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken ct)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["GIT_TERMINAL_PROMPT"] = "0"; // never wait for a password nobody will type
        info.Environment["LC_ALL"] = "C";              // English messages: the first line becomes the job's reason
        if (environment is not null)
        {
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start git");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = ReadAllAsync(process.StandardError.BaseStream);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new GitResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
