import { describe, expect, it } from 'vitest';
import type { Backend, Lease } from '../src/backend/types.js';
import { ManualClock } from '../src/clock.js';
import { LeaseManager } from '../src/store/lease-manager.js';

/** A backend whose lease grants answer only when released: a server frozen mid-grant. */
function stalledGrants(): { backend: Backend; granted: number[]; release: () => void } {
  const waiting: Array<() => void> = [];
  const granted: number[] = [];
  let next = 1;
  const backend = {
    grantLease: (ttl: number) =>
      new Promise<Lease>((resolve) => {
        waiting.push(() => {
          granted.push(ttl);
          resolve({ id: String(next++), ttlSeconds: ttl });
        });
      }),
  } as unknown as Backend;
  return { backend, granted, release: () => waiting.splice(0).forEach((go) => go()) };
}

describe('LeaseManager and AbortSignal', () => {
  it('a caller queued behind a stalled grant settles when its own signal aborts', async () => {
    const { backend, granted, release } = stalledGrants();
    const leases = new LeaseManager(backend, new ManualClock(0), { reuseDurationSeconds: 60, maxObjectCount: 1000 });
    const first = leases.getLease(10); // holds the lock: its grant never answers until released
    const controller = new AbortController();
    const second = leases.getLease(3600, controller.signal);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const outcome = await Promise.race([
      second.then(() => 'granted', (err: unknown) => err),
      new Promise((r) => setTimeout(() => r('still waiting for the lock'), 1000)),
    ]);
    expect(outcome).toBe(reason);
    release();
    expect(await first).toBe('1');
    // The abandoned caller granted nothing once the lock was free.
    await new Promise((r) => setImmediate(r));
    release();
    expect(granted).toEqual([10]);
  });

  it('an already aborted signal fails at once without waiting for the lock', async () => {
    const { backend } = stalledGrants();
    const leases = new LeaseManager(backend, new ManualClock(0), { reuseDurationSeconds: 60, maxObjectCount: 1000 });
    void leases.getLease(10);
    const reason = new Error('shutdown');
    await expect(leases.getLease(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
