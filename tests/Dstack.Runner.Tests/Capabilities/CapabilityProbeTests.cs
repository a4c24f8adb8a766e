using Dstack.Runner.Capabilities;
using Dstack.Runner.Tests.Support;

namespace Dstack.Runner.Tests.Capabilities;

public sealed class CapabilityProbeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void TheProbeReportsThisMachine_AndNoContainerEngine()
    {
        var capabilities = CapabilityProbe.Probe();

        Assert.Equal(Environment.ProcessorCount, capabilities.Cpus);
        Assert.True(capabilities.MemoryBytes > 0);
        Assert.Null(capabilities.ContainerEngine);
    }

    [Fact]
    public void MemoryIsReadFromMemTotal()
    {
        var meminfo = _temp.Combine("meminfo");
        File.WriteAllText(meminfo, "MemFree:         1000 kB\nMemTotal:       24576000 kB\n");

        Assert.Equal(24576000L * 1024, CapabilityProbe.ReadMemoryBytes(meminfo));
    }

    [Fact]
    public void GpusAreCountedFromNvidiaSmi_AndZeroWithoutIt()
    {
        // No GPU here: a stand-in nvidia-smi prints what the real one prints for two GPUs.
        var fake = _temp.Combine("nvidia-smi");
        File.WriteAllText(fake, "#!/bin/sh\necho 'GPU 0: NVIDIA H100 (UUID: GPU-1)'\necho 'GPU 1: NVIDIA H100 (UUID: GPU-2)'\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0x1ED);
        var failing = _temp.Combine("failing-smi");
        File.WriteAllText(failing, "#!/bin/sh\necho 'NVIDIA-SMI has failed'\nexit 9\n");
        File.SetUnixFileMode(failing, (UnixFileMode)0x1ED);

        Assert.Equal(2, CapabilityProbe.CountGpus(fake));
        Assert.Equal(0, CapabilityProbe.CountGpus(failing));
        Assert.Equal(0, CapabilityProbe.CountGpus(_temp.Combine("no-such-command")));
    }

    public void Dispose() => _temp.Dispose();
}
