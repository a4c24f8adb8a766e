using System.Globalization;

namespace Dstack.Server.Hosting;

/// <summary>
/// Settings a server process takes from its environment. The CLI starts the embedded server as a child process, which
/// inherits them: that is how end-to-end tests make a lost runner or a stop's grace take seconds, not minutes.
/// </summary>
public static class ServerEnvironment
{
    /// <summary>Seconds a runner may stay silent before it is lost (ServerOptions.RunnerTimeout).</summary>
    public const string RunnerTimeoutVariable = "DSTACK_RUNNER_TIMEOUT_SECONDS";

    /// <summary>Seconds between SIGTERM and SIGKILL when `dstack stop` gives no --grace (ServerOptions.DefaultStopGrace).</summary>
    public const string StopGraceVariable = "DSTACK_STOP_GRACE_SECONDS";

    /// <summary>Slots of the embedded server's built-in runner (ServerOptions.RunnerSlots): jobs it runs at once; default one per core.</summary>
    public const string RunnerSlotsVariable = "DSTACK_RUNNER_SLOTS";

    /// <summary>The options with the settings the environment gives; throws ArgumentException naming a bad value.</summary>
    public static ServerOptions Apply(ServerOptions options, Func<string, string?> variable)
    {
        if (Seconds(variable, RunnerTimeoutVariable, allowZero: false) is { } timeout) options = options with { RunnerTimeout = timeout };
        if (Seconds(variable, StopGraceVariable, allowZero: true) is { } grace) options = options with { DefaultStopGrace = grace };
        if (Slots(variable) is { } slots) options = options with { RunnerSlots = slots };
        return options;
    }

    private static int? Slots(Func<string, string?> variable)
    {
        var text = variable(RunnerSlotsVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var slots) || slots < 1 || slots > 256)
        {
            throw new ArgumentException($"{RunnerSlotsVariable}={text} is not a number of slots: set it to a whole number from 1 to 256, or unset it");
        }
        return slots;
    }

    private static TimeSpan? Seconds(Func<string, string?> variable, string name, bool allowZero)
    {
        var text = variable(name);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var least = allowZero ? "0 or more" : "more than 0";
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            throw new ArgumentException($"{name}={text} is not a number of seconds: set it to {least} seconds (e.g. 2 or 0.5), or unset it");
        }
        if (seconds < 0 || (!allowZero && seconds == 0) || seconds > TimeSpan.FromDays(1).TotalSeconds)
        {
            throw new ArgumentException($"{name}={text} is out of range: set it to {least} seconds, at most a day (86400), or unset it");
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
