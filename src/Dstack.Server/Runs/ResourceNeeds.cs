using System.Globalization;
using Dstack.Core.Workflows;

namespace Dstack.Server.Runs;

/// <summary>What a job asks of its runner, in the terms runners advertise.</summary>
public static class ResourceNeeds
{
    /// <summary>`gpu: N` or `gpu: {count: N}`; a GPU asked by name or memory only counts as one.</summary>
    public static int GpuCount(WorkflowResources? resources)
    {
        if (resources is null) return 0;
        if (resources.GpuCount is { } text)
        {
            return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0 ? count : 1;
        }
        return resources.GpuName is not null || resources.GpuMemory is not null ? 1 : 0;
    }
}
