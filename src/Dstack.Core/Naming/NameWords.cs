namespace Dstack.Core.Naming;

/// <summary>Word lists for run names (`fast-rabbit-1`) and runner names (`cricket-1`).</summary>
internal static class NameWords
{
    public static readonly string[] Adjectives =
    [
        "fast", "quiet", "brave", "calm", "eager", "gentle", "happy", "jolly", "kind", "lively",
        "nice", "proud", "silly", "witty", "bold", "bright", "clever", "cool", "daring", "fancy",
        "fresh", "grand", "keen", "lucky", "merry", "neat", "polite", "quick", "rapid", "sharp",
        "shiny", "smart", "steady", "sunny", "swift", "tidy", "warm", "wise", "young", "zesty",
    ];

    public static readonly string[] Animals =
    [
        "rabbit", "cricket", "otter", "badger", "falcon", "heron", "lynx", "marten", "newt", "owl",
        "panda", "quail", "raven", "seal", "tiger", "urchin", "viper", "walrus", "yak", "zebra",
        "beaver", "camel", "dingo", "eagle", "ferret", "gecko", "hare", "ibis", "jackal", "koala",
        "lemur", "moose", "narwhal", "ocelot", "puffin", "robin", "salmon", "tapir", "wombat", "wolf",
    ];
}
