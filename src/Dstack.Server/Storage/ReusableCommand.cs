using Microsoft.Data.Sqlite;

namespace Dstack.Server.Storage;

/// <summary>
/// A command kept prepared by <see cref="PreparedStatements"/>: disposing it after a use (as every caller does) only
/// clears its parameters and hands it back; its SQLite statements are finalized when the cache lets it go.
/// </summary>
internal sealed class ReusableCommand : SqliteCommand
{
    private bool _released;

    /// <summary>Handed out and not disposed yet: a second use of the same SQL meanwhile gets a command of its own.</summary>
    public bool InUse { get; set; }

    /// <summary>Finalizes its statements for good.</summary>
    public void Release()
    {
        _released = true;
        Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_released)
        {
            // A reader its caller left open would hold a read snapshot on a connection that never closes.
            DataReader?.Dispose();
            Parameters.Clear();
            Transaction = null;
            InUse = false;
            return;
        }
        base.Dispose(disposing);
    }
}
