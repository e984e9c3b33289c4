/**
 * Resolves on a later turn of the event loop (after timers and I/O callbacks that are due), unlike a microtask.
 * Long runs of synchronous SQLite work (compaction, overdue leases, history replay) await it between batches.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
