using System.Text.Json;

namespace Dstack.Runner.Hosting;

/// <summary>Reads and writes `runner.json` (atomically: temp file + rename, readable by the user only).</summary>
public static class RunnerStateFile
{
    public static string PathIn(string home) => System.IO.Path.Combine(home, "runner.json");

    /// <summary>The saved state, or null when there is none or it cannot be read (a new identity is then requested).</summary>
    public static RunnerState? Load(string home)
    {
        try
        {
            var bytes = File.ReadAllBytes(PathIn(home));
            return JsonSerializer.Deserialize(bytes, RunnerJsonContext.Default.RunnerState);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Save(string home, RunnerState state)
    {
        var path = PathIn(home);
        var temp = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, state, RunnerJsonContext.Default.RunnerState);
        }
        File.Move(temp, path, overwrite: true);
    }
}
