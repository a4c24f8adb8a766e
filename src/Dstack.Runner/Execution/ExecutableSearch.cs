namespace Dstack.Runner.Execution;

/// <summary>Where a program is, the way a shell finds it: the first executable file of that name in PATH.</summary>
public static class ExecutableSearch
{
    public static string? Find(string name, string? path = null)
    {
        foreach (var folder in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            try
            {
                if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                {
                    return Path.GetFullPath(candidate);
                }
            }
            catch (IOException)
            {
                // unreadable entry: not this one
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return null;
    }
}
