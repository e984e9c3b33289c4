import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../driver-memory/src/index.js';
import type { WatchOptions as BackendWatchOptions } from '../src/backend/types.js';
import { aesGcmEncryption, jsonCodec, type Transformer } from '../src/index.js';
import type { Status } from '../src/errors/status.js';
import type { Watch } from '../src/storage/watch.js';
import { drain, memoryStore, outcome, pod } from './watch-helpers.js';

/** A transformer that writes values as they are and cannot read any back. */
const unreadable = (message: string): Transformer => ({
  transformFromStorage: () => Promise.reject(new Error(message)),
  transformToStorage: (data) => data,
});

/** The watch's only event, which must be an ERROR, and that the watch ended after it. */
async function onlyError(w: Watch): Promise<Status> {
  const events = await drain(w);
  expect(events.map((e) => e.type)).toEqual(['ERROR']);
  return events[0]!.object as Status;
}

/** A backend that leaves out previous values from watch events, as etcd does once the previous revision is gone. */
class NoPrevKvBackend extends MemoryBackend {
  override watch(key: string, options: BackendWatchOptions) {
    return super.watch(key, { ...options, prevKv: false });
  }
}

describe('watch ERROR events carry Kubernetes wording', () => {
  it('a value the transformer cannot read: "Internal error occurred: " and the transformer error, once', async () => {
    const { backend, store: writer } = memoryStore();
    const { store: reader } = memoryStore({ backend, transformer: unreadable('injected read failure') });
    const from = String(await writer.getCurrentResourceVersion());
    const w = await reader.watch('/pods/ns/', { recursive: true, resourceVersion: from });
    await writer.create('/pods/ns/a', pod('a'));
    expect(await onlyError(w)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: injected read failure',
      details: { causes: [{ message: 'injected read failure' }] },
    });
  });

  it('the same wording when the unreadable value is one of the initial events', async () => {
    const { backend, store: writer } = memoryStore();
    await writer.create('/pods/ns/a', pod('a'));
    const { store: reader } = memoryStore({ backend, transformer: unreadable('injected read failure') });
    const status = await onlyError(await reader.watch('/pods/ns/', { recursive: true, resourceVersion: '0' }));
    expect(status.message).toBe('Internal error occurred: injected read failure');
  });

  it('a value encrypted under a key the reader does not have reports the decryption error itself', async () => {
    const secret = (fill: number) => new Uint8Array(32).fill(fill);
    const mine = aesGcmEncryption([{ name: 'k1', secret: secret(1) }]);
    const { backend, store: writer } = memoryStore({ transformer: mine });
    const other = aesGcmEncryption([{ name: 'k2', secret: secret(2) }]);
    const { store: reader } = memoryStore({ backend, transformer: other });
    await writer.create('/pods/ns/a', pod('a'));
    const stored = (await backend.get('/registry/pods/ns/a')).kv!;
    const direct = await Promise.resolve()
      .then(() => other.transformFromStorage(stored.value, { authenticatedData: new TextEncoder().encode(stored.key) }))
      .then(
        () => undefined,
        (e: Error) => e.message,
      );
    expect(direct).toBeTypeOf('string');
    const status = await onlyError(await reader.watch('/pods/ns/', { recursive: true, resourceVersion: '0' }));
    expect(status.message).toBe(`Internal error occurred: ${direct}`);
  });

  it('undecodable bytes report the decoder error once', async () => {
    const { backend, store } = memoryStore();
    const garbage = new TextEncoder().encode('{not json');
    const decodeError = (() => {
      try {
        jsonCodec.decode(garbage);
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    })();
    await backend.optimisticPut('/registry/pods/ns/bad', garbage, 0);
    const status = await onlyError(await store.watch('/pods/ns/', { recursive: true, resourceVersion: '0' }));
    expect(status).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: `Internal error occurred: ${decodeError}`,
    });
  });
});

describe('watch events without a previous value', () => {
  it('an update arriving without its previous value is an ERROR, not MODIFIED, even with no predicate', async () => {
    const backend = new NoPrevKvBackend();
    const { store } = memoryStore({ backend });
    const created = await store.create('/pods/ns/a', pod('a'));
    const w = await store.watch('/pods/ns/', { recursive: true, resourceVersion: created.metadata.resourceVersion! });
    const updated = await store.guaranteedUpdate('/pods/ns/a', { tryUpdate: (cur) => ({ ...cur, spec: { n: 1 } }) });
    const it = w[Symbol.asyncIterator]();
    // Before the fix this was MODIFIED and the watch went on.
    expect(await outcome(it.next())).toEqual([
      'ERROR',
      'Internal error occurred: etcd event received with PrevKv=nil ' +
        `(key="/registry/pods/ns/a", modRevision=${updated.metadata.resourceVersion}, type=PUT)`,
    ]);
    expect(await outcome(it.next())).toBe('done');
  });

  it('a delete arriving without its previous value is an ERROR with the same wording', async () => {
    const backend = new NoPrevKvBackend();
    const { store } = memoryStore({ backend });
    const created = await store.create('/pods/ns/a', pod('a'));
    const w = await store.watch('/pods/ns/', { recursive: true, resourceVersion: created.metadata.resourceVersion! });
    await store.delete('/pods/ns/a');
    const deleted = await store.getCurrentResourceVersion();
    const status = await onlyError(w);
    expect(status.message).toBe(
      'Internal error occurred: etcd event received with PrevKv=nil ' +
        `(key="/registry/pods/ns/a", modRevision=${deleted}, type=DELETE)`,
    );
  });

  it('a create needs no previous value', async () => {
    const { store } = memoryStore({ backend: new NoPrevKvBackend() });
    const from = String(await store.getCurrentResourceVersion());
    const w = await store.watch('/pods/ns/', { recursive: true, resourceVersion: from });
    await store.create('/pods/ns/a', pod('a'));
    const it = w[Symbol.asyncIterator]();
    expect(await outcome(it.next())).toEqual(['ADDED', 'a']);
    w.stop();
  });
});
