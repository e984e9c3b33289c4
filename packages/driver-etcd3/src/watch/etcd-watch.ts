import {
  BackendError,
  compactedError,
  onAbort,
  type BackendWatchEvent,
  type BackendWatchOptions as WatchOptions,
  type BackendWatchResponse,
} from '@storagebackend/core';
import type { IEvent, IWatchResponse } from 'etcd3';
import type { EtcdClient, WatchStream } from '../client/etcd-client.js';
import { isPermanentWatchFailure, toBackendError } from '../client/errors.js';
import { toNumber } from '../client/kv.js';
import { toWatchEvent } from './convert.js';
import { ResponseQueue } from './response-queue.js';

/** What a watch needs from its backend. */
export interface WatchHost {
  readonly client: EtcdClient;
  readonly retryMaxDelayMs: number;
  /** How long reconnecting may go on without etcd confirming a watch before the iteration fails. */
  readonly reconnectBudgetMs: number;
  /** Whether the servers answer progress requests in order with events (etcd ≥ 3.4.31 / 3.5.13). */
  readonly orderedProgress: boolean;
  register(watch: EtcdWatch): void;
  unregister(watch: EtcdWatch): void;
  observeCompaction(revision: number): void;
}

export interface WatchRange {
  readonly key: Buffer;
  readonly range_end?: Buffer;
}

/** One attempt: a gRPC stream and what etcd told us on it. */
interface Connection {
  readonly stream: WatchStream;
  /** The member it is open on. */
  readonly endpoint: number;
  created: boolean;
  fragments: IEvent[];
  /** When the stream last showed life (a message, its start, or a resume after back-pressure). */
  heardAt: number;
}

const HIGH_WATER = 64;
const LOW_WATER = 16;
const MIN_RETRY_DELAY_MS = 50;
/** etcd's `watchBatchMaxRevs`: the most revisions one catch-up response carries. */
const ETCD_WATCH_BATCH_MAX_REVS = 1000;
/**
 * A stream (and its member) silent for this long is asked whether the member answers at all: a stopped member
 * keeps the connection open and sends nothing, which only the gRPC keepalive would notice, much later.
 */
const SILENCE_MS = 5_000;
const SILENCE_CHECK_MS = 1_000;

/**
 * One etcd watch on its own raw gRPC stream. It tracks `covered`, the revision up to which every event has
 * been delivered, and on a dropped stream re-creates the watch from `covered + 1` on the next endpoint with
 * capped exponential backoff, so nothing is lost or repeated. A stream whose member has answered nothing for
 * SILENCE_MS and then misses a probe is given up the same way when another member looks alive, so a stopped
 * (not crashed) member stalls a watch for seconds, not until keepalive. A compacted start ends it with `Compacted`;
 * reconnecting that gets no confirmed watch for `reconnectBudgetMs` ends it with `Unreachable`, and a failure
 * reconnecting cannot fix (PermissionDenied, Unimplemented, Unauthenticated, InvalidArgument) ends it at once.
 *
 * Progress never claims a revision whose events may still be on their way, nor one the store has not reached
 * (a watch starting in the future reports nothing until the store is at `startRevision - 1`). Periodic
 * notifications come in order and move `covered`. An answer to a progress request (watch_id -1) is trusted
 * only on servers that send it in order (`orderedProgress`); older ones may send it ahead of queued events,
 * so it only triggers a progress response at the revision already delivered and never moves `covered`.
 *
 * One stream per watch rather than one multiplexed stream per backend: HTTP/2 streams on the shared
 * connection are cheap, a watch that falls behind or is canceled by etcd cannot stall or disturb the others,
 * and resume state stays per watch. The cost is one progress request per watch in `requestProgress()`.
 */
export class EtcdWatch implements AsyncIterator<BackendWatchResponse> {
  private readonly queue = new ResponseQueue<BackendWatchResponse>();
  private covered: number;
  private connection: Connection | undefined;
  private endpoint: number;
  private attempts = 0;
  /** When reconnecting started failing (since the last confirmed watch); undefined while healthy. */
  private failingSince: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  /** A progress request not answered yet; sent again on the next connection. */
  private progressWanted = false;
  private paused = false;
  private finished = false;
  private offAbort: () => void = () => undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private checkingSilence = false;

  constructor(
    private readonly host: WatchHost,
    private readonly range: WatchRange,
    private readonly options: WatchOptions,
  ) {
    this.covered = options.startRevision - 1;
    const health = host.client.health;
    this.endpoint = health.pick(Math.floor(Math.random() * health.count)) ?? 0;
    if (options.signal?.aborted) {
      this.finished = true;
      this.queue.close();
      return;
    }
    if (options.signal !== undefined) this.offAbort = onAbort(options.signal, () => this.finish());
    host.register(this);
    // Timers only: the open gRPC stream is what keeps the process alive.
    if (health.count > 1) this.silenceTimer = setInterval(() => void this.checkSilence(), SILENCE_CHECK_MS).unref();
    this.connect();
  }

  async next(): Promise<IteratorResult<BackendWatchResponse>> {
    const result = this.queue.next();
    if (this.paused && this.queue.size < LOW_WATER) {
      this.paused = false;
      if (this.connection !== undefined) {
        this.connection.heardAt = Date.now(); // silent on purpose until now
        this.connection.stream.resume();
      }
    }
    return result;
  }

  async return(): Promise<IteratorResult<BackendWatchResponse>> {
    this.finish();
    return { value: undefined, done: true };
  }

  /** Asks etcd for a progress response on this watch's stream (now, or once the stream is back). */
  requestProgress(): void {
    if (this.finished) return;
    this.progressWanted = true;
    const conn = this.connection;
    if (conn?.created) conn.stream.write({ progress_request: {} });
  }

  /** Ends the iteration: cleanly (abort, return, backend close) or, given an error, after the queued responses. */
  finish(error?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.offAbort();
    this.host.unregister(this);
    clearTimeout(this.retryTimer);
    clearInterval(this.silenceTimer);
    this.connection?.stream.cancel();
    this.connection = undefined;
    if (error === undefined) this.queue.close();
    else this.queue.fail(error);
  }

  private connect(): void {
    if (this.finished) return;
    let stream: WatchStream;
    try {
      stream = this.host.client.openWatchStream(this.endpoint);
    } catch (err) {
      if (this.host.client.isClosed) this.finish();
      else this.scheduleReconnect(err);
      return;
    }
    const conn: Connection = { stream, endpoint: this.endpoint, created: false, fragments: [], heardAt: Date.now() };
    this.connection = conn;
    stream.on('data', (res: IWatchResponse) => this.onResponse(conn, res));
    stream.on('error', (err: Error) => this.onDropped(conn, err));
    stream.on('end', () => this.onDropped(conn, undefined));
    const { prevKv = false, progressNotify = false } = this.options;
    stream.write({
      create_request: {
        ...this.range,
        start_revision: String(this.covered + 1),
        prev_kv: prevKv,
        progress_notify: progressNotify,
      },
    });
    if (this.paused) stream.pause();
  }

  private onResponse(conn: Connection, res: IWatchResponse): void {
    if (conn !== this.connection || this.finished) return;
    conn.heardAt = Date.now();
    this.host.client.health.heard(conn.endpoint);
    const headerRevision = toNumber(res.header?.revision);
    if (res.created) {
      if (res.canceled) {
        this.fail(new BackendError('Internal', `etcd refused the watch: ${res.cancel_reason || 'canceled'}`));
        return;
      }
      conn.created = true;
      this.attempts = 0;
      this.failingSince = undefined;
      if (this.progressWanted) conn.stream.write({ progress_request: {} });
      return;
    }
    if (res.canceled) {
      const compactRevision = toNumber(res.compact_revision);
      if (compactRevision > 0) {
        this.host.observeCompaction(compactRevision);
        this.fail(compactedError(compactRevision));
      } else {
        this.onDropped(conn, new Error(`etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`));
      }
      return;
    }
    if (res.watch_id === '-1') {
      this.progressWanted = false;
      this.deliverProgress(headerRevision, this.host.orderedProgress);
      return;
    }
    if (res.fragment) {
      conn.fragments.push(...res.events);
      return;
    }
    const events = conn.fragments.length > 0 ? [...conn.fragments.splice(0), ...res.events] : res.events;
    if (events.length > 0) {
      this.deliverEvents(events, headerRevision);
      return;
    }
    // A periodic progress notification: etcd sends it only for synced watchers, in order with events.
    this.deliverProgress(headerRevision, true);
  }

  private deliverEvents(raw: readonly IEvent[], headerRevision: number): void {
    const prevKv = this.options.prevKv === true;
    const events: BackendWatchEvent[] = raw.map((e) => toWatchEvent(e, prevKv));
    const revision = events[events.length - 1]!.kv.modRevision;
    // etcd 3.4 sends a catch-up in batches of at most 1000 revisions, each stamped with the store revision it
    // scanned to; a batch with fewer is the last one, so everything up to its header revision has been delivered.
    // Live responses carry one revision and qualify too.
    let distinct = 0;
    let previous = -1;
    for (const e of events) {
      if (e.kv.modRevision !== previous) distinct++;
      previous = e.kv.modRevision;
    }
    if (distinct < ETCD_WATCH_BATCH_MAX_REVS && headerRevision >= revision) {
      this.covered = Math.max(this.covered, headerRevision);
    }
    this.covered = Math.max(this.covered, revision);
    this.push({ revision, events });
  }

  /**
   * A progress response for store revision `storeRevision`; `inOrder` when every event up to it has been
   * received, so it may move `covered`. Otherwise only the delivered revision is reported.
   */
  private deliverProgress(storeRevision: number, inOrder: boolean): void {
    // Before the store reaches the watch's start there is no revision this watch could truthfully report.
    if (storeRevision < this.options.startRevision - 1) return;
    if (inOrder) this.covered = Math.max(this.covered, storeRevision);
    this.push({ revision: this.covered, events: [], progressNotify: true });
  }

  private push(response: BackendWatchResponse): void {
    this.queue.push(response);
    if (!this.paused && this.queue.size >= HIGH_WATER) {
      this.paused = true;
      this.connection?.stream.pause();
    }
  }

  private onDropped(conn: Connection, err: unknown): void {
    if (conn !== this.connection || this.finished) return;
    this.connection = undefined;
    conn.stream.cancel();
    if (this.host.client.isClosed) {
      this.finish();
      return;
    }
    this.scheduleReconnect(err);
  }

  private scheduleReconnect(cause: unknown): void {
    if (isPermanentWatchFailure(cause)) {
      this.fail(cause);
      return;
    }
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince >= this.host.reconnectBudgetMs) {
      const reason = toBackendError(cause ?? new Error('stream ended'), 'watch').message;
      this.finish(
        new BackendError('Unreachable', `etcd watch not re-established within ${this.host.reconnectBudgetMs} ms: ${reason}`, { cause }),
      );
      return;
    }
    this.endpoint = this.host.client.health.pick(this.endpoint + 1) ?? 0;
    const ceiling = Math.min(this.host.retryMaxDelayMs, MIN_RETRY_DELAY_MS * 2 ** Math.min(this.attempts, 16));
    this.attempts++;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /**
   * Gives up a stream whose member has answered nothing (on any call or stream) for SILENCE_MS and then misses
   * a probe, when another member looks alive; it resumes there from `covered + 1` like any dropped stream.
   * A paused stream is silent because of us, and with nowhere better to go the keepalive decides.
   */
  private async checkSilence(): Promise<void> {
    const conn = this.connection;
    if (conn === undefined || this.paused || this.checkingSilence || Date.now() - conn.heardAt < SILENCE_MS) return;
    const health = this.host.client.health;
    if (!health.hasHealthyOther(conn.endpoint)) return;
    this.checkingSilence = true;
    try {
      const heardAt = conn.heardAt;
      const alive = await health.answeredWithin(conn.endpoint, SILENCE_MS);
      if (alive || conn !== this.connection || this.finished || conn.heardAt !== heardAt) return;
      const address = this.host.client.endpoints[conn.endpoint] ?? String(conn.endpoint);
      this.onDropped(conn, new BackendError('Unreachable', `etcd member ${address} stopped answering`));
    } finally {
      this.checkingSilence = false;
    }
  }

  private fail(error: unknown): void {
    this.finish(error instanceof BackendError ? error : toBackendError(error, 'watch'));
  }
}
