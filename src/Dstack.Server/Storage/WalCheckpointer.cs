using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file beside the writers instead of inside one of their commits
/// (ADR 0013). SQLite's own automatic checkpoint runs in the commit that takes the log past 1,000 pages, on the
/// committing thread: it writes the pages back and fsyncs the file, 10 to 30 ms on these disks, and every other writer
/// waits behind it (they take turns on SqliteDatabase's lock), so a job's outcome now and then took 30 ms instead of 3.
/// Each connection gets a WAL hook in place of the automatic one: after a commit that leaves the log at the threshold
/// or more, a thread-pool item runs a PASSIVE checkpoint on its own connection, which never blocks a writer or a reader.
/// </summary>
public sealed unsafe partial class WalCheckpointer
{
    /// <summary>SQLite's default automatic checkpoint threshold, in pages (4 MiB of 4 KiB pages).</summary>
    public const int ThresholdPages = 1000;

    private const string Library = "e_sqlite3";

    private readonly Func<SqliteConnection> _open;
    private readonly nint _self;
    private int _running;
    private long _completed;

    public WalCheckpointer(Func<SqliteConnection> open)
    {
        _open = open;
        // Lives as long as the process: the hook of any pooled connection may still name it. One small object a database.
        _self = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>Called when a checkpoint fails: it is tried again after a later commit, nothing is lost, but it should be seen.</summary>
    public Action<Exception>? Failed { get; set; }

    /// <summary>How many background checkpoints have finished (for tests).</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Replaces the connection's automatic checkpoint with this checkpointer's hook. Called on every open.</summary>
    public void Attach(SqliteConnection connection)
    {
        var handle = connection.Handle!.DangerousGetHandle();
        sqlite3_wal_hook(handle, &OnCommit, _self);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnCommit(nint self, nint db, nint databaseName, int pages)
    {
        // Runs inside sqlite3_step of the committing thread, after its write lock is released: only hand the work on.
        if (pages >= ThresholdPages && GCHandle.FromIntPtr(self).Target is WalCheckpointer checkpointer) checkpointer.Start();
        return 0;
    }

    private void Start()
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static checkpointer => checkpointer.Run(), this, preferLocal: false);
    }

    private void Run()
    {
        try
        {
            using var connection = _open();
            connection.Execute("PRAGMA wal_checkpoint(PASSIVE);", null);
            Interlocked.Increment(ref _completed);
        }
        catch (Exception e)
        {
            Failed?.Invoke(e);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    // The SQLite library Microsoft.Data.Sqlite loaded (SQLitePCLRaw's bundle), found the same way; SQLitePCLRaw wraps no WAL hook.
    [LibraryImport(Library)]
    private static partial nint sqlite3_wal_hook(nint db, delegate* unmanaged[Cdecl]<nint, nint, nint, int, int> callback, nint argument);
}
