using Dstack.Core.Caching;
using Dstack.Core.Workflows;

namespace Dstack.Core.Tests.Caching;

public sealed class CacheKeyDocumentTests
{
    private static CacheKeyParts Parts() => new()
    {
        RepoUrl = "https://example.com/repo.git",
        Code = new Dictionary<string, string> { ["tree"] = "t1", ["changes"] = "none" },
        Definition = new JobDefinition
        {
            Commands = ["second", "first"],
            Environment = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" },
            WorkingDir = ".",
            Artifacts = ["out"],
        },
        Variables = new Dictionary<string, string> { ["model"] = "117M" },
        Dependencies = new Dictionary<string, string> { ["prepare:best"] = "k2", ["other"] = "k1" },
    };

    [Fact]
    public void Write_GivesCanonicalJson_MapsSortedByName_ListsInTheirOwnOrder()
    {
        Assert.Equal(
            """{"version":1,"repo":"https://example.com/repo.git","code":{"changes":"none","tree":"t1"},"definition":"""
            + """{"commands":["second","first"],"image":null,"environment":{"A":"1","B":"2"},"working_dir":".","artifacts":["out"],"resources":{}},"variables":"""
            + """{"model":"117M"},"dependencies":{"other":"k1","prepare:best":"k2"}}""",
            CacheKeyDocument.Write(Parts()));
    }

    [Fact]
    public void Write_DoesNotDependOnTheOrderMapsWereFilledIn()
    {
        var reordered = Parts() with
        {
            Code = new Dictionary<string, string> { ["changes"] = "none", ["tree"] = "t1" },
            Dependencies = new Dictionary<string, string> { ["other"] = "k1", ["prepare:best"] = "k2" },
        };

        Assert.Equal(CacheKeyDocument.Write(Parts()), CacheKeyDocument.Write(reordered));
        Assert.Equal(CacheKeyDocument.Key(Parts()), CacheKeyDocument.Key(reordered));
    }

    [Fact]
    public void Key_IsTheLowerCaseSha256OfTheDocument_AndChangesWithAnyPart()
    {
        var key = CacheKeyDocument.Key(Parts());

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(CacheKeyDocument.Hash(CacheKeyDocument.Write(Parts())), key);
        Assert.NotEqual(key, CacheKeyDocument.Key(Parts() with { Variables = new Dictionary<string, string> { ["model"] = "345M" } }));
        Assert.NotEqual(key, CacheKeyDocument.Key(Parts() with { Definition = Parts().Definition with { Commands = ["first", "second"] } }));
        Assert.NotEqual(key, CacheKeyDocument.Key(Parts() with { Version = CacheKeyParts.CurrentVersion + 1 }));
    }

    [Fact]
    public void Read_GivesBackThePartsThatWereWritten()
    {
        var resources = new WorkflowResources { Cpu = "2", Memory = "8GB", GpuCount = "1", GpuName = "A100", Interruptible = "true" };
        var parts = Parts() with { Definition = Parts().Definition with { Image = "python:3.11", Resources = resources } };
        var document = CacheKeyDocument.Write(parts);

        var read = CacheKeyDocument.Read(document)!;

        Assert.Equal(document, CacheKeyDocument.Write(read));
        Assert.Equal("python:3.11", read.Definition.Image);
        Assert.Equal(("2", "8GB", "1", "A100", null, "true"),
            (read.Definition.Resources!.Cpu, read.Definition.Resources.Memory, read.Definition.Resources.GpuCount,
             read.Definition.Resources.GpuName, read.Definition.Resources.GpuMemory, read.Definition.Resources.Interruptible));
        Assert.Empty(CacheKeyComparison.Differences(parts, read));
    }

    [Fact]
    public void Read_KeepsTheVersionOfTheDocument()
    {
        var older = Parts() with { Version = 0 };

        var read = CacheKeyDocument.Read(CacheKeyDocument.Write(older))!;

        Assert.Equal(0, read.Version);
        Assert.Equal(1, CacheKeyParts.CurrentVersion);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"version":1,"repo":"u"}""")]
    [InlineData("[1,2]")]
    public void Read_OfSomethingElse_IsNull(string document) => Assert.Null(CacheKeyDocument.Read(document));
}
