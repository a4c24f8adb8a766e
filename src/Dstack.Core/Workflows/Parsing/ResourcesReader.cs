using YamlDotNet.RepresentationModel;

namespace Dstack.Core.Workflows.Parsing;

/// <summary>Reads `resources: {cpu, memory, gpu, interruptible}`; gpu is a count or `{count, name, memory}`. Values stay text.</summary>
internal sealed class ResourcesReader(string file, DiagnosticList diagnostics)
{
    private static readonly IReadOnlyList<string> Keys = ["cpu", "memory", "gpu", "interruptible"];
    private static readonly IReadOnlyList<string> GpuKeys = ["count", "name", "memory"];

    public WorkflowResources? Read(YamlNode value, string where, List<LocatedText> texts)
    {
        if (value is YamlScalarNode { Value: null or "" }) return null;
        if (value is not YamlMappingNode mapping)
        {
            diagnostics.Error(YamlNodes.Location(file, value), $"'resources' of {where} must be a mapping (cpu, memory, gpu, interruptible), not {YamlNodes.Describe(value)}.");
            return null;
        }
        var resources = new WorkflowResources();
        foreach (var (key, _, item) in KeyCheck.Allowed(mapping, Keys, $"'resources' of {where}", file, diagnostics))
        {
            if (key == "gpu" && item is YamlMappingNode gpu)
            {
                foreach (var (gpuKey, _, gpuItem) in KeyCheck.Allowed(gpu, GpuKeys, $"'resources: gpu' of {where}", file, diagnostics))
                {
                    var gpuText = Scalar(gpuItem, $"gpu.{gpuKey}", where, texts);
                    resources = gpuKey switch
                    {
                        "count" => resources with { GpuCount = gpuText },
                        "name" => resources with { GpuName = gpuText },
                        _ => resources with { GpuMemory = gpuText },
                    };
                }
                continue;
            }
            var text = Scalar(item, key, where, texts);
            resources = key switch
            {
                "cpu" => resources with { Cpu = text },
                "memory" => resources with { Memory = text },
                "gpu" => resources with { GpuCount = text },
                _ => resources with { Interruptible = text },
            };
        }
        return resources;
    }

    private string? Scalar(YamlNode node, string key, string where, List<LocatedText> texts)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } } scalar)
        {
            texts.Add(new LocatedText($"resources.{key}", file, scalar));
            return scalar.Value;
        }
        var expected = key == "gpu" ? "a count ('gpu: 1') or a mapping ('gpu: {count: 1, name: A100, memory: 40GB}')" : "one value, e.g. 'cpu: 2' or 'memory: 8GB'";
        diagnostics.Error(YamlNodes.Location(file, node), $"'resources: {key}' of {where} is {YamlNodes.Describe(node)}; it must be {expected}.");
        return null;
    }
}
