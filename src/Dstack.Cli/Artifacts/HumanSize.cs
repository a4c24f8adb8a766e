using System.Globalization;

namespace Dstack.Cli.Artifacts;

/// <summary>Sizes for people: 512 B, 1.5 KB, 12.3 MB (powers of 1024, one decimal under 100).</summary>
public static class HumanSize
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB", "PB"];

    public static string Format(long bytes)
    {
        if (bytes < 1024) return $"{bytes} B";
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var format = value < 100 ? "0.#" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
