using Dstack.Contracts.Runner;

namespace Dstack.Server.Dispatch;

/// <summary>
/// One runner's orders long-poll: a pulse for "an order may be pending", and the orders already answered through it.
/// Pending orders stay pending until the job's outcome, so answering every poll with them would make the runner's
/// next poll return at once, again and again, for the whole grace period. The poll answers when an order is new
/// (a stop, or an abort overriding it); the heartbeat repeats every pending order, which covers an answer that was lost.
/// </summary>
public sealed class RunnerOrderChannel : AsyncPulse
{
    private readonly Lock _lock = new();
    private HashSet<JobStopOrder> _answered = [];

    /// <summary>All the pending orders when one of them was not answered yet (remembering them as answered), else none.</summary>
    public IReadOnlyList<JobStopOrder> TakeNew(IReadOnlyList<JobStopOrder> pending)
    {
        lock (_lock)
        {
            var anyNew = pending.Any(order => !_answered.Contains(order));
            // Orders no longer pending are forgotten, so the set never outgrows the runner's current jobs.
            _answered = [.. pending];
            return anyNew ? pending : [];
        }
    }
}
