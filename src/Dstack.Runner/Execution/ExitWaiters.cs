using System.Runtime.InteropServices;

namespace Dstack.Runner.Execution;

/// <summary>
/// Threads that each wait for one child at a time with a blocking waitpid(pid), kept for the next child instead of one
/// started per child: starting a thread cost the runner about 0.1 ms of CPU a job (NativeAOT's Thread.Start yields in
/// a loop until the new thread runs, on a machine busy with the jobs). There are as many as children waited for at
/// once: one per slot. waitpid(-1) is not an option: .NET reaps the children it started (git) itself.
/// </summary>
public static class ExitWaiters
{
    private static readonly Stack<Waiter> Idle = new(); // locked on itself

    /// <summary>Calls <paramref name="exited"/> with the exit code as a shell reports it (128+N for signal N) once <paramref name="pid"/> has exited and is reaped.</summary>
    public static void Wait(int pid, Action<int> exited)
    {
        Waiter? waiter;
        lock (Idle) Idle.TryPop(out waiter);
        (waiter ?? Waiter.Start()).Give(pid, exited);
    }

    private static unsafe int WaitPid(int pid)
    {
        int status;
        while (PosixSpawn.WaitPid(pid, &status, 0) < 0)
        {
            // Reaped by someone else (cannot happen: nothing else waits for this pid): reported as killed.
            if (Marshal.GetLastPInvokeError() != PosixSpawn.Interrupted) return 128 + PosixSignals.SigKill;
        }
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    private sealed class Waiter
    {
        private readonly object _gate = new();
        private (int Pid, Action<int> Exited)? _next;

        public static Waiter Start()
        {
            var waiter = new Waiter();
            new Thread(waiter.Loop, maxStackSize: 256 * 1024) { IsBackground = true, Name = "waitpid" }.Start();
            return waiter;
        }

        public void Give(int pid, Action<int> exited)
        {
            lock (_gate)
            {
                _next = (pid, exited);
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            while (true)
            {
                (int Pid, Action<int> Exited) work;
                lock (_gate)
                {
                    while (_next is null) Monitor.Wait(_gate);
                    work = _next.Value;
                    _next = null;
                }
                work.Exited(WaitPid(work.Pid));
                lock (Idle) Idle.Push(this);
            }
        }
    }
}
