using System.Text.Json;
using Dstack.Contracts;
using Dstack.Contracts.Runner;

namespace Dstack.Server.Storage;

/// <summary>JSON columns (variables, lists, job specs), written with the source-generated wire context.</summary>
public static class StoredJson
{
    private static readonly DstackJsonContext Json = DstackJsonContext.Default;

    public static string FromMap(IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(map), Json.DictionaryStringString);

    public static Dictionary<string, string> ToMap(string json) =>
        JsonSerializer.Deserialize(json, Json.DictionaryStringString) ?? [];

    public static string FromList(IReadOnlyList<string> list) => JsonSerializer.Serialize(list, Json.IReadOnlyListString);

    public static IReadOnlyList<string> ToList(string json) => JsonSerializer.Deserialize(json, Json.IReadOnlyListString) ?? [];

    public static string FromSpec(JobSpec spec) => JsonSerializer.Serialize(spec, Json.JobSpec);

    public static JobSpec ToSpec(string json)
    {
        var spec = JsonSerializer.Deserialize(json, Json.JobSpec)!;
        // Specs stored before checkpoints existed lack the interval. The source-generated reader sets every init-only
        // property, a missing one to 0 (= never checkpoint), not to the record's default: give those jobs the default.
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("checkpointIntervalSeconds", out _)
            ? spec
            : spec with { CheckpointIntervalSeconds = DefaultCheckpointIntervalSeconds };
    }

    /// <summary>What JobSpec.CheckpointIntervalSeconds defaults to.</summary>
    public const int DefaultCheckpointIntervalSeconds = 60;
}
