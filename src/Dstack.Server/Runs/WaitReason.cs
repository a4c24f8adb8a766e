using Dstack.Server.Runners;

namespace Dstack.Server.Runs;

/// <summary>Why a SUBMITTED job waits, in words for `dstack status`: its dependencies first, then what no live runner offers.</summary>
public static class WaitReason
{
    public static string Of(JobRow job, IReadOnlyList<RunnerRow> liveRunners)
    {
        // Dependencies in any run: a job of this run, one awaited from another run, a tagged run's job.
        if (job.PendingDependencies.Count > 0) return $"waiting for {string.Join(", ", job.PendingDependencies)}";

        var needsEngine = job.Image is not null;
        var needsGpu = job.GpuCount > 0;
        var engineMissing = needsEngine && !liveRunners.Any(r => r.Capabilities.ContainerEngine is not null);
        var gpuMissing = needsGpu && !liveRunners.Any(r => r.Capabilities.Gpus >= job.GpuCount);
        var engine = $"a runner with a container engine (image {job.Image}): no runner has one";
        var gpu = $"a runner with a GPU (gpu: {job.GpuCount}): no runner has one";
        if (engineMissing && gpuMissing) return $"waiting for {engine}; waiting for {gpu}";
        if (engineMissing) return $"waiting for {engine}";
        if (gpuMissing) return $"waiting for {gpu}";
        if (needsEngine && needsGpu
            && !liveRunners.Any(r => r.Capabilities.ContainerEngine is not null && r.Capabilities.Gpus >= job.GpuCount))
        {
            return $"waiting for a runner with both a container engine (image {job.Image}) and a GPU (gpu: {job.GpuCount}): no runner has both";
        }
        return liveRunners.Count == 0 ? "waiting for a runner: none is connected" : "waiting for a free runner slot";
    }
}
