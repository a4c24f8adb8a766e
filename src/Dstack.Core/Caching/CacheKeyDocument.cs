using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dstack.Core.Workflows;

namespace Dstack.Core.Caching;

/// <summary>
/// The canonical text of a cache key's parts: JSON with a fixed member order, maps sorted by ordinal name, lists in
/// their own order (commands and artifacts are ordered). The same parts always give the same bytes, so the key is
/// the SHA-256 of the text; the text is stored with the job so a dry run can say which part differs.
/// </summary>
public static class CacheKeyDocument
{
    public static string Write(CacheKeyParts parts)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", parts.Version);
            json.WriteString("repo", parts.RepoUrl);
            WriteMap(json, "code", parts.Code);
            json.WriteStartObject("definition");
            WriteList(json, "commands", parts.Definition.Commands);
            WriteNullable(json, "image", parts.Definition.Image);
            WriteMap(json, "environment", parts.Definition.Environment);
            json.WriteString("working_dir", parts.Definition.WorkingDir);
            WriteList(json, "artifacts", parts.Definition.Artifacts);
            WriteMap(json, "resources", ResourceEntries(parts.Definition.Resources));
            json.WriteEndObject();
            WriteMap(json, "variables", parts.Variables);
            WriteMap(json, "dependencies", parts.Dependencies);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The key: lower-case hex SHA-256 of the document's UTF-8 bytes.</summary>
    public static string Hash(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public static string Key(CacheKeyParts parts) => Hash(Write(parts));

    /// <summary>Parses a stored document back; null when it is not one this version of dstack wrote.</summary>
    public static CacheKeyParts? Read(string document)
    {
        try
        {
            using var parsed = JsonDocument.Parse(document);
            var root = parsed.RootElement;
            var definition = root.GetProperty("definition");
            return new CacheKeyParts
            {
                Version = root.GetProperty("version").GetInt32(),
                RepoUrl = root.GetProperty("repo").GetString()!,
                Code = ReadMap(root.GetProperty("code")),
                Definition = new JobDefinition
                {
                    Commands = ReadList(definition.GetProperty("commands")),
                    Image = definition.GetProperty("image").GetString(),
                    Environment = ReadMap(definition.GetProperty("environment")),
                    WorkingDir = definition.GetProperty("working_dir").GetString()!,
                    Artifacts = ReadList(definition.GetProperty("artifacts")),
                    Resources = ResourcesOf(ReadMap(definition.GetProperty("resources"))),
                },
                Variables = ReadMap(root.GetProperty("variables")),
                Dependencies = ReadMap(root.GetProperty("dependencies")),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        json.WriteStartObject(name);
        // A map already kept in ordinal order (most are) is written as it is: a run of 500 jobs writes 500 documents.
        if (map is SortedDictionary<string, string> sorted && ReferenceEquals(sorted.Comparer, StringComparer.Ordinal))
        {
            foreach (var (key, value) in sorted) json.WriteString(key, value);
        }
        else
        {
            var entries = map.ToArray();
            Array.Sort(entries, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            foreach (var (key, value) in entries) json.WriteString(key, value);
        }
        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> items)
    {
        json.WriteStartArray(name);
        foreach (var item in items) json.WriteStringValue(item);
        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static SortedDictionary<string, string> ReadMap(JsonElement element)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject()) map[property.Name] = property.Value.GetString()!;
        return map;
    }

    private static List<string> ReadList(JsonElement element) => element.EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>The resources a workflow asks for, by name; absent ones left out.</summary>
    internal static Dictionary<string, string> ResourceEntries(WorkflowResources? r)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r is null) return entries;
        Add("cpu", r.Cpu);
        Add("memory", r.Memory);
        Add("gpu", r.GpuCount);
        Add("gpu_name", r.GpuName);
        Add("gpu_memory", r.GpuMemory);
        Add("interruptible", r.Interruptible);
        return entries;

        void Add(string name, string? value)
        {
            if (value is not null) entries[name] = value;
        }
    }

    private static WorkflowResources? ResourcesOf(IReadOnlyDictionary<string, string> entries)
    {
        if (entries.Count == 0) return null;
        return new WorkflowResources
        {
            Cpu = entries.GetValueOrDefault("cpu"),
            Memory = entries.GetValueOrDefault("memory"),
            GpuCount = entries.GetValueOrDefault("gpu"),
            GpuName = entries.GetValueOrDefault("gpu_name"),
            GpuMemory = entries.GetValueOrDefault("gpu_memory"),
            Interruptible = entries.GetValueOrDefault("interruptible"),
        };
    }
}
