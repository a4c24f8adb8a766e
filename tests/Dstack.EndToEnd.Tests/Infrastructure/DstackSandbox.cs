using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Runs;

namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One user's world in a temp folder: a DSTACK_HOME (so a server of its own), a HOME, and a git repository with
/// a bare remote. Runs the installed `dstack` as that user; on dispose stops the server and makes sure that no
/// process started under the sandbox is left.
/// </summary>
public sealed class DstackSandbox : IDisposable
{
    public DstackSandbox()
    {
        Root = Directory.CreateTempSubdirectory("dstack-e2e-").FullName;
        Home = System.IO.Path.Combine(Root, "dstack-home");
        var userHome = System.IO.Path.Combine(Root, "user");
        Directory.CreateDirectory(userHome);
        Environment = new Dictionary<string, string>
        {
            ["DSTACK_HOME"] = Home,
            ["HOME"] = userHome,
            ["GIT_AUTHOR_NAME"] = "Test User",
            ["GIT_AUTHOR_EMAIL"] = "test@example.com",
            ["GIT_COMMITTER_NAME"] = "Test User",
            ["GIT_COMMITTER_EMAIL"] = "test@example.com",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
        };
        Repo = new TestRepository(Root, Environment);
    }

    public string Root { get; }

    /// <summary>DSTACK_HOME of this sandbox.</summary>
    public string Home { get; }

    public Dictionary<string, string> Environment { get; }

    public TestRepository Repo { get; }

    /// <summary>Runs `dstack ARGS` in the repository's folder.</summary>
    public CliResult Dstack(params string[] args) => DstackIn(Repo.Path, args);

    public CliResult DstackIn(string workingDirectory, params string[] args) =>
        ProcessRunner.Run(DstackBinary.Path, args, workingDirectory, Environment, TimeSpan.FromSeconds(180));

    /// <summary>
    /// Starts `dstack ARGS` in the repository's folder without waiting, output redirected (for -f and Ctrl-C tests).
    /// Through `env --default-signal=INT`, as a terminal would start it: a test run launched in the background by a
    /// shell inherits SIGINT ignored, and a program rightly keeps an ignored SIGINT ignored. The pid is dstack's (env execs it).
    /// </summary>
    public System.Diagnostics.Process Start(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("env")
        {
            WorkingDirectory = Repo.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=INT");
        psi.ArgumentList.Add(DstackBinary.Path);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        return System.Diagnostics.Process.Start(psi)!;
    }

    /// <summary>Runs dstack and fails the test with its output unless it exits 0.</summary>
    public CliResult Ok(params string[] args)
    {
        var result = Dstack(args);
        Assert.True(result.ExitCode == 0, $"dstack {string.Join(' ', args)} failed: {result}");
        return result;
    }

    /// <summary>`dstack status --json [ARGS]`, parsed with the wire contract.</summary>
    public List<RunInfo> Status(params string[] args)
    {
        var result = Ok(["status", "--json", .. args]);
        return JsonSerializer.Deserialize(result.Stdout, DstackJsonContext.Default.ListRunInfo)
            ?? throw new InvalidOperationException($"status --json printed null: {result}");
    }

    public RunInfo Run(string runName) => Status(runName).Single(r => r.RunName == runName);

    /// <summary>Submits a run (without following it) and returns its name, the last line dstack printed.</summary>
    public string Submit(params string[] args)
    {
        var result = Ok(["run", .. args]);
        return result.Stdout.Trim().Split('\n')[^1].Trim();
    }

    public RunInfo WaitUntilFinished(string runName, TimeSpan? timeout = null) =>
        Eventually.Until(() =>
        {
            var run = Run(runName);
            return run.Jobs.All(j => j.Status is Contracts.Jobs.JobStatus.Done or Contracts.Jobs.JobStatus.Failed
                or Contracts.Jobs.JobStatus.Stopped or Contracts.Jobs.JobStatus.Aborted) ? run : null;
        }, timeout ?? TimeSpan.FromSeconds(90), $"run {runName} to finish");

    /// <summary>Workflow files and an initialised, pushed repository, ready for `dstack run`.</summary>
    public DstackSandbox WithWorkflows(string workflowsYaml, string? variablesYaml = null)
    {
        Repo.Write(".dstack/workflows.yaml", workflowsYaml);
        if (variablesYaml is not null) Repo.Write(".dstack/variables.yaml", variablesYaml);
        Repo.CommitAll("workflows").Push();
        return this;
    }

    public DstackSandbox Initialised()
    {
        Ok("init");
        return this;
    }

    /// <summary>Pids of live processes whose command line or working directory lies under this sandbox.</summary>
    public IReadOnlyList<int> ProcessesUnderRoot() => ProcessTable.Under(Root);

    public void Dispose()
    {
        try
        {
            if (File.Exists(System.IO.Path.Combine(Home, "server.json"))) DstackIn(Root, "server", "stop");
        }
        catch (Exception)
        {
            // Cleanup below kills whatever the stop left.
        }
        foreach (var pid in ProcessTable.Under(Root)) ProcessTable.Kill(pid);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
