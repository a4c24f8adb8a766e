using System.Diagnostics;

namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a program to completion with a bound, capturing stdout as bytes.</summary>
public static class ProcessRunner
{
    public static CliResult Run(string fileName, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        }
        using var process = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var outTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var errTask = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s");
        }
        // Background children of the command (such as a server it started) may keep the pipes open: bound the wait.
        Task.WaitAll([outTask, errTask], TimeSpan.FromSeconds(10));
        return new CliResult(process.ExitCode, stdout.ToArray(), errTask.IsCompleted ? errTask.Result : "");
    }
}
