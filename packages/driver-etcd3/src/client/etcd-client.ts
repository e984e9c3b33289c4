import * as grpc from '@grpc/grpc-js';
import { BackendError, closedError } from '@storagebackend/core';
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
import { isMemberFailure, neverSent, toBackendError } from './errors.js';
import type { Stubs, WatchStream } from './grpc-stubs.js';

export type { WatchStream } from './grpc-stubs.js';

/** Per-call controls: an abort signal and an optional deadline override. */
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

function channelOptions(options: EtcdClientOptions): grpc.ChannelOptions {
  return {
    'grpc.max_receive_message_length': -1,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': 10_000,
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
 * policy of their own. Every unary call has a deadline. Calls go to a preferred member; any failure that is
 * not etcd rejecting the request (Unavailable, DeadlineExceeded, name resolution, …) moves the preferred
 * member on for later calls. Reads (range, status) are asked of the next member within the same deadline;
 * writes (txn, compact, lease grant / revoke) are never sent twice, and move on only when the request
 * provably never left this process.
 */
export class EtcdClient {
  readonly endpoints: readonly string[];
  private readonly hosts: readonly Host[];
  private preferred: number;
  private closed = false;

  constructor(private readonly options: EtcdClientOptions) {
    this.endpoints = options.endpoints.map((e) => e.address);
    const grpcOptions = channelOptions(options);
    this.hosts = options.endpoints.map((e) => new Host(e.address, credentialsFor(e, options), grpcOptions, new NoopPolicy()));
    this.preferred = Math.floor(Math.random() * options.endpoints.length);
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
    return this.guarded('status', control, (o, signal) => this.cancelOnAbort(this.statusCall(index, o), signal));
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
      const count = this.hosts.length;
      const first = this.preferred;
      for (let n = 0; ; n++) {
        const index = (first + n) % count;
        try {
          const result = await this.cancelOnAbort(attempt(index, o), signal);
          this.preferred = index;
          return result;
        } catch (err) {
          if (signal?.aborted || this.closed || !isMemberFailure(err)) throw err;
          // Only the first failure moves it: concurrent calls failing on the same member must not skip the next.
          if (this.preferred === index) this.preferred = (index + 1) % count;
          const again = retry === 'read' || neverSent(err);
          if (!again || n + 1 >= count || Date.now() >= (o.deadline as number)) throw err;
        }
      }
    });
  }

  private async cancelOnAbort<T>(call: { result: Promise<T>; cancel(): void }, signal: AbortSignal | undefined): Promise<T> {
    if (signal === undefined) return call.result;
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await call.result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Deadline, abort signal, closed check and error mapping around one logical call. */
  private async guarded<T>(
    operation: string,
    control: CallControl,
    call: (o: grpc.CallOptions, signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw closedError();
    const { signal } = control;
    signal?.throwIfAborted();
    const timeoutMs = control.timeoutMs ?? this.options.requestTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const guards = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BackendError('Timeout', `etcd ${operation} timed out after ${timeoutMs} ms`)),
        timeoutMs + DEADLINE_GRACE_MS,
      );
      if (signal !== undefined) {
        onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    const running = call({ deadline: Date.now() + timeoutMs }, signal);
    running.catch(() => undefined); // settled later by the deadline when a guard won the race
    try {
      return await Promise.race([running, guards]);
    } catch (err) {
      if (signal?.aborted && err === signal.reason) throw err;
      if (this.closed) throw closedError();
      throw toBackendError(err, operation);
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    }
  }
}
