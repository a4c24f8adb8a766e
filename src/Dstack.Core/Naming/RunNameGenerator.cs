namespace Dstack.Core.Naming;

/// <summary>
/// Run names `adjective-animal-N`. The word pair is random; N makes the name unique: the caller passes a
/// predicate telling whether a name is taken (the store checks, inside the transaction that inserts the run).
/// </summary>
public static class RunNameGenerator
{
    public static string Next(Func<string, bool> isTaken, Random? random = null)
    {
        random ??= Random.Shared;
        var stem = $"{NameWords.Adjectives[random.Next(NameWords.Adjectives.Length)]}-{NameWords.Animals[random.Next(NameWords.Animals.Length)]}";
        for (var n = 1; ; n++)
        {
            var name = $"{stem}-{n}";
            if (!isTaken(name)) return name;
        }
    }
}
