import { onAbort } from '../abort/on-abort.js';
import { isBackendError } from '../backend/errors.js';
import { newInternalErrorStatus, newTooLargeResourceVersionError, WATCH_TOO_OLD } from '../errors/api-errors.js';
import { InternalError } from '../errors/internal-error.js';
import { StorageError } from '../errors/storage-error.js';
import { newStatus, StatusError, type Status } from '../errors/status.js';
import { decodeObject, untransform } from '../store/object-state.js';
import type { PredicateMatcher } from '../store/predicate-matcher.js';
import type { StoreContext } from '../store/store-context.js';
import { requestedRevision } from '../store/versioner.js';
import type { StorageObject } from '../storage/object.js';
import type { WatchOptions } from '../storage/options.js';
import type { Watch, WatchEvent } from '../storage/watch.js';
import { EventQueue } from './event-queue.js';
import { transformEvent } from './event-transform.js';
import { readInitialState } from './initial-events.js';

/** Annotation on the BOOKMARK that ends the initial events of a watch-list. */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

export interface WatchPlan<T> {
  readonly key: string;
  readonly backendKey: string;
  readonly recursive: boolean;
  /** Parsed resourceVersion; 0 for '' and '0'. */
  readonly revision: number;
  /** For a watch without initial events from "now": the store revision read before `watch()` returned. */
  readonly currentRevision?: number;
  readonly matcher: PredicateMatcher<T>;
  readonly options: WatchOptions<T>;
  /** Called once when the watch has ended (stopped, failed or aborted). */
  readonly onEnd?: () => void;
}

/**
 * The error Kubernetes' watcher would have: it wraps the transformer's or decoder's own error once
 * (`apierrors.NewInternalError`). Our read helpers wrap those for get/list (an InternalError already saying
 * "Internal error occurred: unable to transform key …", a CorruptObj StorageError); unwrap them here.
 */
function watchCause(err: unknown): unknown {
  if (err instanceof InternalError) return err.cause ?? err.reason;
  if (err instanceof StorageError && err.code === 'CorruptObj') return err.cause ?? err.additionalErrorMsg;
  return err;
}

function statusOf(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  if (isBackendError(err, 'Compacted')) return newStatus(410, 'Expired', WATCH_TOO_OLD);
  return newInternalErrorStatus(watchCause(err)).status;
}

/** A running store watch: a producer task feeding an event queue the caller iterates. */
class StoreWatch<T extends StorageObject> implements Watch<T> {
  readonly #queue = new EventQueue<WatchEvent<T>>(100);
  readonly #controller = new AbortController();
  readonly #ctx: StoreContext<T>;
  readonly #plan: WatchPlan<T>;
  /** Unsubscribes from the caller's signal; one shared listener per signal however many watches use it. */
  #offAbort: () => void = () => {};

  constructor(ctx: StoreContext<T>, plan: WatchPlan<T>) {
    this.#ctx = ctx;
    this.#plan = plan;
    const external = plan.options.signal;
    if (external?.aborted) {
      this.#queue.end();
      queueMicrotask(() => plan.onEnd?.());
      return;
    }
    if (external) this.#offAbort = onAbort(external, () => this.stop());
    void this.#produce();
  }

  stop(): void {
    this.#controller.abort();
    this.#queue.end();
    this.#offAbort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.stop();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    return {
      next: () => this.#queue.next(),
      return: async () => {
        this.stop();
        this.#queue.abort();
        return { value: undefined, done: true };
      },
    };
  }

  #bookmark(revision: number, annotate: boolean): WatchEvent<T> {
    const obj = this.#ctx.newFunc();
    obj.metadata ??= {};
    this.#ctx.versioner.updateObject(obj, revision);
    if (annotate) obj.metadata.annotations = { ...obj.metadata.annotations, [INITIAL_EVENTS_END_ANNOTATION]: 'true' };
    return { type: 'BOOKMARK', object: obj };
  }

  async #startRevision(): Promise<number> {
    const { revision, options, matcher, backendKey, recursive } = this.#plan;
    const signal = this.#controller.signal;
    const initial = options.sendInitialEvents;
    if (initial === true || (initial === undefined && revision === 0)) {
      if (initial === true && revision > 0) {
        const current = (await this.#ctx.backend.get(backendKey, { signal })).revision;
        if (revision > current) {
          throw newTooLargeResourceVersionError(requestedRevision(revision, options.resourceVersion), current, 1);
        }
      }
      const listRevision = await readInitialState(this.#ctx, backendKey, recursive, signal, async (kv) => {
        const { data } = await untransform(this.#ctx, kv);
        const obj = decodeObject(this.#ctx, data, kv.modRevision, kv.key);
        if (matcher.matches(obj)) await this.#queue.push({ type: 'ADDED', object: obj });
      });
      if (initial === true && options.predicate?.allowWatchBookmarks) {
        await this.#queue.push(this.#bookmark(listRevision, true));
      }
      return listRevision + 1;
    }
    if (revision === 0) {
      const current = this.#plan.currentRevision ?? (await this.#ctx.backend.get(backendKey, { signal })).revision;
      return current + 1;
    }
    return revision + 1;
  }

  async #produce(): Promise<void> {
    const signal = this.#controller.signal;
    const { backendKey, recursive, matcher, options } = this.#plan;
    try {
      const startRevision = Math.min(await this.#startRevision(), Number.MAX_SAFE_INTEGER);
      // Everything below the start is covered; a progress response must never claim less (a client resuming
      // from an older bookmark would see events twice).
      let covered = startRevision - 1;
      const responses = this.#ctx.backend.watch(backendKey, {
        prefix: recursive,
        startRevision,
        prevKv: true,
        progressNotify: options.progressNotify ?? false,
        signal,
      });
      for await (const response of responses) {
        if (signal.aborted) break;
        if (response.events.length === 0) {
          if (options.progressNotify && response.revision >= covered) {
            covered = response.revision;
            await this.#queue.push(this.#bookmark(response.revision, false));
          }
          continue;
        }
        covered = Math.max(covered, response.revision);
        for (const event of response.events) {
          if (signal.aborted) break;
          const translated = await transformEvent(this.#ctx, event, matcher);
          if (translated) await this.#queue.push(translated);
        }
      }
    } catch (err) {
      if (!signal.aborted) {
        if (isBackendError(err, 'Compacted')) this.#ctx.observeCompaction(err.compactRevision ?? 0);
        await this.#queue.push({ type: 'ERROR', object: statusOf(err) });
      }
    } finally {
      this.#controller.abort();
      this.#queue.end();
      this.#offAbort();
      this.#plan.onEnd?.();
    }
  }
}

export function startWatch<T extends StorageObject>(ctx: StoreContext<T>, plan: WatchPlan<T>): Watch<T> {
  return new StoreWatch(ctx, plan);
}
