using System.Globalization;

namespace Dstack.Core.Workflows;

/// <summary>
/// The workflow key `checkpoint_interval`: how often a running job's artifacts are synced. A whole number of seconds
/// (`90`) or one number with a unit (`30s`, `5m`, `1h`); 0 turns checkpoints off.
/// </summary>
public static class CheckpointInterval
{
    /// <summary>What a workflow without the key gets.</summary>
    public const int DefaultSeconds = 60;

    /// <summary>The seconds the text stands for, or null when it is not such a number (negative, a fraction, an unknown unit, too large).</summary>
    public static int? ParseSeconds(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return null;
        var multiplier = char.ToLowerInvariant(trimmed[^1]) switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => 0,
        };
        var number = multiplier == 0 ? trimmed : trimmed[..^1];
        if (multiplier == 0) multiplier = 1;
        // Digits only: no sign, no fraction, no exponent, so '-5' or '1.5m' are refused rather than guessed at.
        if (number.Length == 0 || !number.All(char.IsAsciiDigit)) return null;
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
        var seconds = value * multiplier;
        return seconds > int.MaxValue ? null : (int)seconds;
    }
}
