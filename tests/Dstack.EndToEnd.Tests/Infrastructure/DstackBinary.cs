namespace Dstack.EndToEnd.Tests.Infrastructure;

/// <summary>The installed `dstack` under test: test.sh installs it with install.sh and points DSTACK_BIN at it.</summary>
public static class DstackBinary
{
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("DSTACK_BIN");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    "DSTACK_BIN must name an installed dstack binary: run ./test.sh, or ./install.sh --prefix DIR and export DSTACK_BIN=DIR/bin/dstack");
            }
            return path;
        }
    }
}
