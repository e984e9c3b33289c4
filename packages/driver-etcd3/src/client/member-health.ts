import { isMemberFailure } from './errors.js';

/** A member that does not answer a Status probe within this is taken as stopped (SIGSTOP, a frozen VM, …). */
export const PROBE_TIMEOUT_MS = 2_000;
/** How often a suspect member is probed until it answers again. */
const RECHECK_MS = 2_000;

/** Asks member `index` for something cheap (Maintenance.Status) with a deadline of `timeoutMs`. */
export type Probe = (index: number, timeoutMs: number) => Promise<unknown>;

/**
 * What the client knows about each member's liveness. A stopped member keeps its TCP connections open and
 * answers nothing, so no error ever arrives: only silence, until a deadline or the gRPC keepalive. Calls and
 * watches therefore ask `answeredWithin` when one of them waits too long, and a member that fails (or misses
 * a probe) is `suspect`: `pick` steers later calls and watches to the others until it answers a probe again.
 *
 * @example
 * const health = new MemberHealth(3, (i, ms) => statusOf(i, ms));
 * const index = health.pick(preferred); // a member not known to be stopped, if there is one
 */
export class MemberHealth {
  private readonly heardAt: number[];
  private readonly suspect: boolean[];
  private readonly probes: (Promise<boolean> | undefined)[];
  private recheck: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly count: number,
    private readonly probe: Probe,
  ) {
    this.heardAt = Array.from({ length: count }, () => 0);
    this.suspect = Array.from({ length: count }, () => false);
    this.probes = Array.from({ length: count }, () => undefined);
  }

  /** Member `index` answered something (a response, an etcd error, a watch message): it is alive. */
  heard(index: number): void {
    this.heardAt[index] = Date.now();
    this.suspect[index] = false;
  }

  /** Member `index` failed a call or a probe: prefer the others until it answers a probe. */
  markSuspect(index: number): void {
    if (this.closed) return;
    this.suspect[index] = true;
    this.recheck ??= setInterval(() => this.recheckSuspects(), RECHECK_MS).unref();
  }

  isSuspect(index: number): boolean {
    return this.suspect[index] === true;
  }

  /** Whether some member other than `index` is not suspect (somewhere better to go). */
  hasHealthyOther(index: number): boolean {
    return this.suspect.some((s, i) => i !== index && !s);
  }

  /**
   * The first member from `start` on (wrapping) that is not in `exclude`, one not suspect if there is such a
   * member; undefined when every member is excluded.
   */
  pick(start: number, exclude?: ReadonlySet<number>): number | undefined {
    let fallback: number | undefined;
    for (let n = 0; n < this.count; n++) {
      const index = (((start + n) % this.count) + this.count) % this.count;
      if (exclude?.has(index) === true) continue;
      if (!this.isSuspect(index)) return index;
      fallback ??= index;
    }
    return fallback;
  }

  /**
   * True when member `index` answered anything in the last `ms`, or answers a probe within `probeTimeoutMs`
   * now (one probe per member at a time, shared by every caller); false, and the member suspect, when not.
   */
  answeredWithin(index: number, ms: number, probeTimeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
    if (Date.now() - (this.heardAt[index] ?? 0) <= ms) return Promise.resolve(true);
    return this.probeOnce(index, probeTimeoutMs);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.recheck);
    this.recheck = undefined;
  }

  private probeOnce(index: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
    const running = this.probes[index];
    if (running !== undefined) return running;
    const probing = new Promise((resolve) => resolve(this.probe(index, timeoutMs)))
      // Any answer from etcd, even a refusal, shows the member is alive; only silence or a transport failure does not.
      .then(
        () => true,
        (err: unknown) => !isMemberFailure(err),
      )
      .then((alive) => {
        this.probes[index] = undefined;
        if (alive) this.heard(index);
        else this.markSuspect(index);
        return alive;
      });
    this.probes[index] = probing;
    return probing;
  }

  private recheckSuspects(): void {
    if (this.closed || !this.suspect.includes(true)) {
      clearInterval(this.recheck);
      this.recheck = undefined;
      return;
    }
    for (const [index, suspect] of this.suspect.entries()) if (suspect) void this.probeOnce(index);
  }
}
