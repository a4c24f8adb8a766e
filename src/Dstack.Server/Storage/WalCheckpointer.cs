using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Dstack.Server.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file beside the writers instead of inside one of their commits
/// (ADR 0013). SQLite's own automatic checkpoint runs in the commit that takes the log past 1,000 pages, on the
/// committing thread: it writes the pages back and fsyncs the file, 10 to 30 ms on these disks, and every other writer
/// waits behind it (they take turns on SqliteDatabase's lock), so a job's outcome now and then took 30 ms instead of 3.
/// Each connection gets a WAL hook in place of the automatic one: after a commit that leaves 1,000 pages or more not yet
/// copied back, a thread-pool item runs a PASSIVE checkpoint on its own connection, which blocks no writer and no reader;
/// a log that still grows past 8,000 pages is emptied with the writers held off for a moment (see <see cref="Run"/>).
/// </summary>
public sealed unsafe partial class WalCheckpointer
{
    /// <summary>SQLite's default automatic checkpoint threshold, in pages (4 MiB of 4 KiB pages).</summary>
    public const int ThresholdPages = 1000;

    /// <summary>A log this long after a checkpoint is finished with the writers held off (see <see cref="Run"/>).</summary>
    public const int CatchUpPages = 8 * ThresholdPages;

    private const string Library = "e_sqlite3";

    private readonly Func<SqliteConnection> _open;
    private readonly Lock _writers;
    private readonly nint _self;
    private int _running;
    private volatile bool _stopped;
    private long _queued;
    private long _completed;
    private bool _failing;
    private bool? _available;
    private int _logPages;
    private int _copied;
    // A monitor, not an event: nothing to dispose in an object that lives as long as the process.
    private readonly object _catchUpGate = new();
    private volatile bool _catchingUp;

    /// <param name="open">Opens a connection of the database.</param>
    /// <param name="writers">The lock the database's writers take turns on.</param>
    public WalCheckpointer(Func<SqliteConnection> open, Lock writers)
    {
        _open = open;
        _writers = writers;
        // Lives as long as the process: the hook of any pooled connection may still name it. One small object a database.
        _self = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>
    /// Told when checkpoints start failing (once a streak: they are tried again after later commits and nothing is lost,
    /// but it should be seen), or when the hook cannot be installed (SQLite then checkpoints inside commits, as before).
    /// </summary>
    public Action<Exception>? Failed { get; set; }

    /// <summary>How many background checkpoints have been queued, and finished (for tests).</summary>
    public long Queued => Interlocked.Read(ref _queued);

    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Whether a checkpoint is queued or under way (for tests).</summary>
    public bool Busy => Volatile.Read(ref _running) != 0;

    /// <summary>The pages in the log after the last commit (it falls when the log is started over).</summary>
    public int LogPages => Volatile.Read(ref _logPages);

    /// <summary>
    /// Whether connections get the hook: only when Microsoft.Data.Sqlite runs on the library the hook is called in by
    /// name (its bundled e_sqlite3), never on a handle of another SQLite; and no longer once it could not be installed.
    /// Otherwise the connections keep SQLite's automatic checkpoint. Known at the first open (the provider is set then).
    /// </summary>
    public bool Available => _available ??= SQLitePCL.raw.GetNativeLibraryName() == Library;

    /// <summary>Called by a writer before it takes the writers' lock: waits while a catch-up checkpoint wants it.</summary>
    public void WaitIfCatchingUp()
    {
        if (!_catchingUp) return;
        lock (_catchUpGate)
        {
            while (_catchingUp) Monitor.Wait(_catchUpGate);
        }
    }

    /// <summary>Replaces the connection's automatic checkpoint with this checkpointer's hook. Once per native connection.</summary>
    public void Attach(SqliteConnection connection)
    {
        if (!Available) return;
        try
        {
            sqlite3_wal_hook(connection.Handle!.DangerousGetHandle(), &OnCommit, _self);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _available = false;
            Failed?.Invoke(e);
        }
    }

    /// <summary>
    /// Starts no more checkpoints and waits, at most <paramref name="wait"/>, for one under way to finish and give its
    /// connection back to the pool: the database is being closed, and no checkpoint may still be working on it afterwards.
    /// One queued but not yet running does nothing. Called without the writers' lock, which a catch-up takes.
    /// </summary>
    public bool Stop(TimeSpan wait)
    {
        _stopped = true;
        // A full fence: the flag must be seen before _running is read, as Start takes _running before it reads the flag.
        Interlocked.MemoryBarrier();
        return SpinWait.SpinUntil(() => Volatile.Read(ref _running) == 0, wait);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnCommit(nint self, nint db, nint databaseName, int pages)
    {
        // Runs inside sqlite3_step of the committing thread, after its write lock is released: only hand the work on.
        if (GCHandle.FromIntPtr(self).Target is WalCheckpointer checkpointer)
        {
            Volatile.Write(ref checkpointer._logPages, pages);
            // What the last checkpoint left to copy, not the whole log: until the log is started over it stays long, and
            // a checkpoint (two fsyncs) after every commit would follow. A log shorter than what was copied is a new one.
            var copied = Volatile.Read(ref checkpointer._copied);
            if ((pages >= copied ? pages - copied : pages) >= ThresholdPages) checkpointer.Start();
        }
        return 0;
    }

    private void Start()
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) return;
        // Checked after taking the slot: Stop either sees it taken and waits, or this sees the stop (see Stop).
        if (_stopped)
        {
            Volatile.Write(ref _running, 0);
            return;
        }
        Interlocked.Increment(ref _queued);
        ThreadPool.UnsafeQueueUserWorkItem(static checkpointer => checkpointer.Run(), this, preferLocal: false);
    }

    private void Run()
    {
        try
        {
            if (_stopped) return;
            using var connection = _open();
            var (log, copied) = Checkpoint(connection, "PASSIVE");
            Volatile.Write(ref _copied, (int)copied);
            // SQLite starts the log over only when a writer begins after a checkpoint copied all of it and no reader is in
            // it: writers that commit while a passive one copies, or a reader at the wrong moment, leave it to grow. Past
            // eight times the threshold, the rest is copied with the writers held off (they wait at a gate rather than race
            // this one for the lock), waiting for the readers of the log to finish, and the log is emptied.
            if (log >= CatchUpPages && !_stopped)
            {
                _catchingUp = true;
                try
                {
                    lock (_writers) Checkpoint(connection, "TRUNCATE");
                    Volatile.Write(ref _copied, 0);
                }
                finally
                {
                    lock (_catchUpGate)
                    {
                        _catchingUp = false;
                        Monitor.PulseAll(_catchUpGate);
                    }
                }
            }
            Interlocked.Increment(ref _completed);
            _failing = false;
        }
        catch (Exception e)
        {
            if (!_failing) Failed?.Invoke(e);
            _failing = true;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>One checkpoint: the pages in the log, and how many of them are now in the database file.</summary>
    private static (long Log, long Copied) Checkpoint(SqliteConnection connection, string mode)
    {
        using var command = connection.Command($"PRAGMA wal_checkpoint({mode});", null);
        using var reader = command.ExecuteReader();
        // One row: busy (0/1), pages in the log, pages copied back (-1, -1 when the database is not in WAL mode).
        return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (0, 0);
    }

    // The SQLite library Microsoft.Data.Sqlite loaded (SQLitePCLRaw's bundle), found the same way; SQLitePCLRaw wraps no WAL hook.
    [LibraryImport(Library)]
    private static partial nint sqlite3_wal_hook(nint db, delegate* unmanaged[Cdecl]<nint, nint, nint, int, int> callback, nint argument);
}
