namespace Dstack.Core.Naming;

/// <summary>Runner names `animal-N` (cricket-1), unique on a server through the isTaken predicate.</summary>
public static class RunnerNameGenerator
{
    public static string Next(Func<string, bool> isTaken, Random? random = null)
    {
        random ??= Random.Shared;
        var animal = NameWords.Animals[random.Next(NameWords.Animals.Length)];
        for (var n = 1; ; n++)
        {
            var name = $"{animal}-{n}";
            if (!isTaken(name)) return name;
        }
    }
}
