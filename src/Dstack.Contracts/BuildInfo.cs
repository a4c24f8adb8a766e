using System.Reflection;

namespace Dstack.Contracts;

/// <summary>
/// Version and build identity of this installation. install.sh writes a fresh `build-id` file beside the binary
/// on every install, so a CLI can tell that the embedded server still running is from an older install.
/// </summary>
public static class BuildInfo
{
    private static readonly Lazy<string> LazyId = new(ReadBuildId);

    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Contents of `build-id` beside the executable, or "dev" for a build that was not installed.</summary>
    public static string Id => LazyId.Value;

    private static string ReadBuildId()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "build-id");
        return File.Exists(path) ? File.ReadAllText(path).Trim() : "dev";
    }
}
