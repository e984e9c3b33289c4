import * as grpc from '@grpc/grpc-js';
import { BackendError, closedError } from '@storagebackend/core';
import { NoopPolicy } from 'cockatiel';
import {
  Etcd3,
  type ICompactionRequest,
  type ILeaseGrantRequest,
  type ILeaseGrantResponse,
  type IRangeRequest,
  type IRangeResponse,
  type IStatusResponse,
  type ITxnRequest,
  type ITxnResponse,
  type IWatchRequest,
  type IWatchResponse,
} from 'etcd3';
import { Host } from 'etcd3/lib/connection-pool.js';
import type { EtcdClientOptions } from '../options.js';
import { toBackendError } from './errors.js';

/** Per-call controls: an abort signal and an optional deadline override. */
export interface CallControl {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number;
}

/** The raw bidirectional watch stream (etcd `Watch` RPC). */
export type WatchStream = grpc.ClientDuplexStream<IWatchRequest, IWatchResponse>;

type GrpcCallback<T> = (err: grpc.ServiceError | null, res: T) => void;
interface MaintenanceStub extends grpc.Client {
  status(req: object, metadata: grpc.Metadata, options: grpc.CallOptions, cb: GrpcCallback<IStatusResponse>): void;
}
interface WatchStub extends grpc.Client {
  watch(metadata: grpc.Metadata, options: grpc.CallOptions): WatchStream;
}

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

/** gRPC failed before the request left this process, so trying another member cannot apply it twice. */
function notSent(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return message.includes('No connection established') || message.includes('ECONNREFUSED');
}

/**
 * The narrow wrapper around npm `etcd3`. Unary KV/lease/maintenance calls go through one etcd3 client per
 * member with no retry policy (a retried txn can report a false conflict or apply twice) and a deadline on
 * every call; a call sticks to the last member that answered and moves to the next only when the request
 * was never sent (connection refused / not established). Watch streams and per-member status use raw
 * per-endpoint gRPC clients that the etcd3 pool does not reset behind our back.
 */
export class EtcdClient {
  readonly endpoints: readonly string[];
  private readonly clients: readonly Etcd3[];
  private readonly hosts: readonly Host[];
  private preferred: number;
  private closed = false;

  constructor(private readonly options: EtcdClientOptions) {
    this.endpoints = options.endpoints;
    const grpcOptions = channelOptions(options);
    this.clients = options.endpoints.map(
      (e) =>
        new Etcd3({
          hosts: options.secure ? `https://${e}` : `http://${e}`,
          // etcd3's typings require a CA; without one grpc-js uses the system roots.
          ...(options.tls === undefined ? {} : { credentials: options.tls as { rootCertificate: Buffer } }),
          grpcOptions,
          faultHandling: { host: () => new NoopPolicy(), global: new NoopPolicy() },
        }),
    );
    const credentials = options.secure
      ? grpc.credentials.createSsl(options.tls?.rootCertificate ?? null, options.tls?.privateKey ?? null, options.tls?.certChain ?? null)
      : grpc.credentials.createInsecure();
    this.hosts = options.endpoints.map((e) => new Host(e, credentials, grpcOptions, new NoopPolicy()));
    this.preferred = Math.floor(Math.random() * options.endpoints.length);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  range(req: IRangeRequest, control: CallControl = {}): Promise<IRangeResponse> {
    return this.unary('range', control, (c, o) => c.kv.range(req, o));
  }

  txn(req: ITxnRequest, control: CallControl = {}): Promise<ITxnResponse> {
    return this.unary('txn', control, (c, o) => c.kv.txn(req, o));
  }

  compact(req: ICompactionRequest, control: CallControl = {}): Promise<unknown> {
    const timeoutMs = control.timeoutMs ?? this.options.compactTimeoutMs;
    return this.unary('compact', { ...control, timeoutMs }, (c, o) => c.kv.compact(req, o));
  }

  leaseGrant(req: ILeaseGrantRequest, control: CallControl = {}): Promise<ILeaseGrantResponse> {
    return this.unary('lease grant', control, (c, o) => c.leaseClient.leaseGrant(req, o));
  }

  leaseRevoke(id: string, control: CallControl = {}): Promise<unknown> {
    return this.unary('lease revoke', control, (c, o) => c.leaseClient.leaseRevoke({ ID: id }, o));
  }

  /** Status of the member calls currently go to. */
  status(control: CallControl = {}): Promise<IStatusResponse> {
    return this.unary('status', control, (c, o) => c.maintenance.status(o));
  }

  /** Status of one member, by index into `endpoints`. */
  endpointStatus(index: number, control: CallControl = {}): Promise<IStatusResponse> {
    return this.guarded('status', control, (o) => {
      const stub = this.host(index).getServiceClient('Maintenance') as MaintenanceStub;
      return new Promise<IStatusResponse>((resolve, reject) => {
        stub.status({}, new grpc.Metadata(), o, (err, res) => (err ? reject(err) : resolve(res)));
      });
    });
  }

  /** Opens a raw watch stream on one member; errors surface as stream 'error' events. */
  openWatchStream(index: number): WatchStream {
    if (this.closed) throw closedError();
    const stub = this.host(index).getServiceClient('Watch') as WatchStub;
    // Like clientv3.WithRequireLeader: a member that loses its leader ends the stream, so we move on.
    const metadata = new grpc.Metadata();
    metadata.set('hasleader', 'true');
    return stub.watch(metadata, {});
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.clients) client.close();
    for (const host of this.hosts) host.close();
  }

  private host(index: number): Host {
    const host = this.hosts[index % this.hosts.length];
    if (host === undefined) throw new BackendError('Internal', 'no etcd endpoints');
    return host;
  }

  /** One logical call: the preferred member first, the others only while the request was never sent. */
  private unary<T>(operation: string, control: CallControl, call: (c: Etcd3, o: grpc.CallOptions) => Promise<T>): Promise<T> {
    return this.guarded(operation, control, async (o) => {
      const count = this.clients.length;
      const first = this.preferred;
      for (let attempt = 0; ; attempt++) {
        const index = (first + attempt) % count;
        try {
          const result = await call(this.clients[index]!, o);
          this.preferred = index;
          return result;
        } catch (err) {
          if (attempt + 1 >= count || !notSent(err) || Date.now() >= (o.deadline as number)) throw err;
        }
      }
    });
  }

  /** Deadline, abort signal, closed check and error mapping around one logical call. */
  private async guarded<T>(operation: string, control: CallControl, call: (o: grpc.CallOptions) => Promise<T>): Promise<T> {
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
    try {
      return await Promise.race([call({ deadline: Date.now() + timeoutMs }), guards]);
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
