using System.Security.Cryptography;
using System.Text;

namespace Dstack.Runner.Workspace;

/// <summary>The runner's mirrors, one per repository URL: `HOME/mirrors/SHORT-HASH-OF-URL.git`.</summary>
public sealed class MirrorStore(string folder) : IDisposable
{
    private readonly Dictionary<string, RepoMirror> _mirrors = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RepoMirror For(string url)
    {
        lock (_lock)
        {
            if (!_mirrors.TryGetValue(url, out var mirror))
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..16];
                mirror = new RepoMirror(url, Path.Combine(folder, hash + ".git"));
                _mirrors[url] = mirror;
            }
            return mirror;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var mirror in _mirrors.Values) mirror.Dispose();
            _mirrors.Clear();
        }
    }
}
