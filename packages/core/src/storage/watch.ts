import type { StorageObject } from './object.js';
import type { Status } from '../errors/status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T = StorageObject> =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; readonly object: T }
  | { readonly type: 'ERROR'; readonly object: Status };

/**
 * A running watch: iterate it for events; `stop()` (or aborting the signal, or `await using`) ends it.
 * An ERROR event is always the last one.
 *
 * @example
 * await using w = await storage.watch('/pods/default/', { recursive: true, resourceVersion: '0' });
 * for await (const event of w) console.log(event.type, event.object.metadata.name);
 */
export interface Watch<T = StorageObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
  [Symbol.asyncDispose](): Promise<void>;
}
