import * as grpc from '@grpc/grpc-js';
import { BackendError, closedError, onAbort } from '@storagebackend/core';
import { NoopPolicy } from 'cockatiel';
import type {
  ICompactionRequest,
  ILeaseGrantRequest,
  ILeaseGrantResponse,
  IRangeRequest,
  IRangeResponse,
  IStatusResponse,
  ITxnRequest,
  ITxnResponse,
} from 'etcd3';
import { Host } from 'etcd3/lib/connection-pool.js';
import type { EtcdClientOptions, EtcdEndpoint } from '../options.js';
import { etcdSaidRetry, isMemberFailure, neverSent, toBackendError } from './errors.js';
import { MemberHealth, PROBE_TIMEOUT_MS } from './member-health.js';
import type { Stubs, WatchStream } from './grpc-stubs.js';

export type { WatchStream } from './grpc-stubs.js';

/** Per-call controls: an abort signal and an optional deadline override (`Infinity`: none, only the signal). */
export interface CallControl {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number;
}

/** A read may be asked again of another member; a write only if it provably never left this process. */
type Retry = 'read' | 'write';

/** One attempt on one member; `cancel` ends the gRPC call (an abort). */
type Attempt<T> = (index: number, options: grpc.CallOptions) => { result: Promise<T>; cancel(): void };

// Fires after the gRPC deadline should have: a last guard so no call can hang.
const DEADLINE_GRACE_MS = 1_000;
/** How long a read waits for its member before asking whether that member answers anything at all. */
const PROBE_AFTER_MS = 1_000;
/** Shorter deadlines probe sooner and shorter (a quarter of what is left each), but not below this. */
const MIN_PROBE_MS = 100;
/** Rounds over the members a read gets when etcd answers "not now" (leader election), and the first pause. */
const READ_ROUNDS = 5;
const RETRY_PAUSE_MS = 50;
/** Unanswered keepalive pings close the connection (and fail its calls) after this; etcd allows pings every 5 s. */
const KEEPALIVE_TIMEOUT_MS = 5_000;

function channelOptions(options: EtcdClientOptions): grpc.ChannelOptions {
  return {
    'grpc.max_receive_message_length': -1,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': KEEPALIVE_TIMEOUT_MS,
    // grpc-js backs off reconnects up to 2 minutes by default; a restarted etcd must be found quickly.
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': options.watchRetryMaxDelayMs,
  };
}

function credentialsFor(endpoint: EtcdEndpoint, options: EtcdClientOptions): grpc.ChannelCredentials {
  if (!endpoint.secure) return grpc.credentials.createInsecure();
  const tls = options.tls;
  return grpc.credentials.createSsl(tls?.rootCertificate ?? null, tls?.privateKey ?? null, tls?.certChain ?? null);
}

/** Wraps one callback-style unary gRPC call. */
function unaryCall<T>(start: (cb: (err: grpc.ServiceError | null, res: T) => void) => grpc.ClientUnaryCall): {
  result: Promise<T>;
  cancel(): void;
} {
  let call: grpc.ClientUnaryCall | undefined;
  const result = new Promise<T>((resolve, reject) => {
    call = start((err, res) => (err ? reject(err) : resolve(res)));
  });
  return { result, cancel: () => call?.cancel() };
}

/**
 * The narrow gRPC client: per-member service clients from etcd3's `Host` (KV, Lease, Maintenance, Watch),
 * never reset behind our back (etcd3's pool resets every channel on each DeadlineExceeded) and with no retry
 * policy of their own. Every unary call has a deadline unless it asks for none (`timeoutMs: Infinity`, for
 * lists). Calls go to a preferred member; any failure that is not etcd rejecting the request (Unavailable,
 * DeadlineExceeded, name resolution, …) moves the preferred member on for later calls and makes the member
 * suspect (`health`): calls and watches prefer the others until it answers a probe again. Reads (range,
 * status) are asked of the next member within the same deadline, also when their member has answered nothing
 * for a second (less with a short deadline) and then misses a probe (a stopped member fails no call, it only
 * stays silent), and again after a pause when every member answered "not now" (a leader election); writes
 * (txn, compact, lease grant / revoke) are never sent twice, and move on only when the request provably never
 * left this process.
 */
export class EtcdClient {
  readonly endpoints: readonly string[];
  /** Which members answer; shared with the watches. */
  readonly health: MemberHealth;
  private readonly hosts: readonly Host[];
  private preferred: number;
  private closed = false;

  constructor(private readonly options: EtcdClientOptions) {
    this.endpoints = options.endpoints.map((e) => e.address);
    const grpcOptions = channelOptions(options);
    this.hosts = options.endpoints.map((e) => new Host(e.address, credentialsFor(e, options), grpcOptions, new NoopPolicy()));
    this.preferred = Math.floor(Math.random() * options.endpoints.length);
    this.health = new MemberHealth(this.hosts.length, (index, timeoutMs) => this.statusCall(index, { deadline: Date.now() + timeoutMs }).result);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  range(req: IRangeRequest, control: CallControl = {}): Promise<IRangeResponse> {
    return this.unary('range', 'read', control, (i, o) => unaryCall((cb) => this.stub(i, 'KV').range(req, new grpc.Metadata(), o, cb)));
  }

  txn(req: ITxnRequest, control: CallControl = {}): Promise<ITxnResponse> {
    return this.unary('txn', 'write', control, (i, o) => unaryCall((cb) => this.stub(i, 'KV').txn(req, new grpc.Metadata(), o, cb)));
  }

  compact(req: ICompactionRequest, control: CallControl = {}): Promise<unknown> {
    const timeoutMs = control.timeoutMs ?? this.options.compactTimeoutMs;
    return this.unary('compact', 'write', { ...control, timeoutMs }, (i, o) =>
      unaryCall((cb) => this.stub(i, 'KV').compact(req, new grpc.Metadata(), o, cb)),
    );
  }

  leaseGrant(req: ILeaseGrantRequest, control: CallControl = {}): Promise<ILeaseGrantResponse> {
    return this.unary('lease grant', 'write', control, (i, o) =>
      unaryCall((cb) => this.stub(i, 'Lease').leaseGrant(req, new grpc.Metadata(), o, cb)),
    );
  }

  leaseRevoke(id: string, control: CallControl = {}): Promise<unknown> {
    return this.unary('lease revoke', 'write', control, (i, o) =>
      unaryCall((cb) => this.stub(i, 'Lease').leaseRevoke({ ID: id }, new grpc.Metadata(), o, cb)),
    );
  }

  /** Status of the member calls currently go to (another one if it fails). */
  status(control: CallControl = {}): Promise<IStatusResponse> {
    return this.unary('status', 'read', control, (i, o) => this.statusCall(i, o));
  }

  /** Status of one member, by index into `endpoints`; never another one. */
  endpointStatus(index: number, control: CallControl = {}): Promise<IStatusResponse> {
    return this.guarded('status', control, (o, signal) => this.settle(this.statusCall(index, o), index, signal, undefined));
  }

  /** Opens a raw watch stream on one member; errors surface as stream 'error' events. */
  openWatchStream(index: number): WatchStream {
    if (this.closed) throw closedError();
    // Like clientv3.WithRequireLeader: a member that loses its leader ends the stream, so we move on.
    const metadata = new grpc.Metadata();
    metadata.set('hasleader', 'true');
    return this.stub(index, 'Watch').watch(metadata, {});
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.health.close();
    for (const host of this.hosts) host.close();
  }

  private statusCall(index: number, o: grpc.CallOptions): { result: Promise<IStatusResponse>; cancel(): void } {
    return unaryCall((cb) => this.stub(index, 'Maintenance').status({}, new grpc.Metadata(), o, cb));
  }

  private stub<K extends keyof Stubs>(index: number, service: K): Stubs[K] {
    const host = this.hosts[index % this.hosts.length];
    if (host === undefined) throw new BackendError('Internal', 'no etcd endpoints');
    return host.getServiceClient(service) as unknown as Stubs[K];
  }

  /** One logical call: the preferred member first; see the class comment for when another one is asked. */
  private unary<T>(operation: string, retry: Retry, control: CallControl, attempt: Attempt<T>): Promise<T> {
    return this.guarded(operation, control, async (o, signal) => {
      const deadline = o.deadline as number;
      const tried = new Set<number>();
      for (let index = this.health.pick(this.preferred) ?? 0, round = 0; ; ) {
        tried.add(index);
        let next = this.health.pick(index + 1, tried);
        try {
          // A read with another member left to ask gives up on this one once it stops answering at all.
          const watchdog = retry === 'read' && next !== undefined ? probeTiming(deadline) : undefined;
          const result = await this.settle(attempt(index, o), index, signal, watchdog);
          this.health.heard(index);
          this.preferred = index;
          return result;
        } catch (err) {
          if (signal?.aborted || this.closed) throw err;
          const failed = isMemberFailure(err);
          if (failed && !etcdSaidRetry(err)) this.health.markSuspect(index);
          else this.health.heard(index);
          if (!failed) throw err;
          // Only the first failure moves it: concurrent calls failing on the same member must not skip the next.
          if (this.preferred === index) this.preferred = (index + 1) % this.hosts.length;
          if (retry === 'write' && !neverSent(err)) throw err;
          if (next === undefined && retry === 'read' && etcdSaidRetry(err) && round < READ_ROUNDS) {
            // Every member said "not now" (a leader election): ask again after a pause, as clientv3 does.
            const pause = RETRY_PAUSE_MS * 2 ** round++;
            if (Date.now() + pause >= deadline) throw err;
            await new Promise((resolve) => setTimeout(resolve, pause));
            if (signal?.aborted || this.closed) throw err;
            tried.clear();
            next = this.health.pick(this.preferred);
          }
          if (next === undefined || Date.now() >= deadline) throw err;
          index = next;
        }
      }
    });
  }

  /**
   * Waits for one attempt, cancelling it when the caller aborts. With `watchdog`, also gives up (Unreachable)
   * once member `index` has answered nothing for `afterMs` and then misses a probe: a stopped member never
   * fails a call, it only stays silent until the deadline.
   */
  private async settle<T>(
    call: { result: Promise<T>; cancel(): void },
    index: number,
    signal: AbortSignal | undefined,
    watchdog: ProbeTiming | undefined,
  ): Promise<T> {
    const off = signal === undefined ? noop : onAbort(signal, () => call.cancel());
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    try {
      if (watchdog === undefined) return await call.result;
      const { afterMs, timeoutMs } = watchdog;
      const silent = new Promise<never>((_, reject) => {
        const check = async (): Promise<void> => {
          const alive = await this.health.answeredWithin(index, afterMs, timeoutMs);
          if (settled) return;
          if (alive) {
            timer = setTimeout(check, afterMs);
            return;
          }
          call.cancel();
          const address = this.endpoints[index] ?? String(index);
          reject(new BackendError('Unreachable', `etcd member ${address} did not answer a status probe within ${timeoutMs} ms`));
        };
        timer = setTimeout(check, afterMs);
      });
      return await Promise.race([call.result, silent]);
    } finally {
      settled = true;
      clearTimeout(timer);
      off();
    }
  }

  /** Deadline (none for an infinite `timeoutMs`), abort signal, closed check and error mapping around one logical call. */
  private async guarded<T>(
    operation: string,
    control: CallControl,
    call: (o: grpc.CallOptions, signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw closedError();
    const { signal } = control;
    signal?.throwIfAborted();
    const timeoutMs = control.timeoutMs ?? this.options.requestTimeoutMs;
    const bounded = Number.isFinite(timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    let off = noop;
    const guards = new Promise<never>((_, reject) => {
      if (bounded) {
        timer = setTimeout(
          () => reject(new BackendError('Timeout', `etcd ${operation} timed out after ${timeoutMs} ms`)),
          timeoutMs + DEADLINE_GRACE_MS,
        );
      }
      if (signal !== undefined) off = onAbort(signal, () => reject(signal.reason));
    });
    const running = call({ deadline: bounded ? Date.now() + timeoutMs : Infinity }, signal);
    running.catch(() => undefined); // settled later by the deadline when a guard won the race
    try {
      return await Promise.race([running, guards]);
    } catch (err) {
      if (signal?.aborted && err === signal.reason) throw err;
      if (this.closed) throw closedError();
      throw toBackendError(err, operation);
    } finally {
      clearTimeout(timer);
      off();
    }
  }
}

interface ProbeTiming {
  readonly afterMs: number;
  readonly timeoutMs: number;
}

/** When a read asks whether its member is alive, and how long that probe may take, given the read's deadline. */
function probeTiming(deadline: number): ProbeTiming {
  const quarter = Math.max(MIN_PROBE_MS, (deadline - Date.now()) / 4);
  return { afterMs: Math.min(PROBE_AFTER_MS, quarter), timeoutMs: Math.min(PROBE_TIMEOUT_MS, quarter) };
}

function noop(): void {}
