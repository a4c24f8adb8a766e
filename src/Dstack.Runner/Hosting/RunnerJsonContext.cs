using System.Text.Json;
using System.Text.Json.Serialization;
using Dstack.Runner.Jobs;

namespace Dstack.Runner.Hosting;

/// <summary>Source-generated JSON for the runner's own files (no reflection: Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(RunnerState))]
[JsonSerializable(typeof(SlotJobRecord))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext;
