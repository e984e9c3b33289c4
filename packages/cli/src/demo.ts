import {
  create,
  newDefaultConfig,
  type ConfigForResource,
  type StorageObject,
  type StorageType,
  type WatchEvent,
} from '@storagebackend/core';

export interface DemoOptions {
  readonly type: StorageType;
  readonly server: string;
  readonly log: (line: string) => void;
}

interface Pod extends StorageObject {
  spec: { nodeName: string };
}

const describe = (e: WatchEvent<Pod>) =>
  e.type === 'ERROR'
    ? `ERROR ${e.object.code} ${e.object.message}`
    : `${e.type.padEnd(8)} ${e.object.metadata.namespace ?? ''}/${e.object.metadata.name ?? ''} rv=${e.object.metadata.resourceVersion}`;

/**
 * The main job: creates, updates, lists page by page and watches Pods on the chosen backend, printing each step.
 */
export async function runDemo({ type, server, log }: DemoOptions): Promise<void> {
  const base = newDefaultConfig('/registry');
  const config: ConfigForResource = {
    ...base,
    type,
    compactionIntervalMs: 0,
    transport: { ...base.transport, serverList: [server] },
    groupResource: { group: '', resource: 'pods' },
  };
  const { storage, destroy } = await create<Pod>(config);
  try {
    const start = await storage.getCurrentResourceVersion();
    // A namespace of its own per run, so the job also runs on a backend that keeps data from earlier runs.
    const ns = start === 1 ? 'default' : `run-${start}`;
    log(`backend: ${type} (${server}); current resourceVersion ${start}; namespace ${ns}`);
    const watch = await storage.watch(`/pods/${ns}/`, { recursive: true, resourceVersion: '0' });
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of watch) seen.push(describe(event));
    })();

    for (const name of ['web-0', 'web-1', 'web-2']) {
      const pod = await storage.create(`/pods/${ns}/${name}`, {
        metadata: { name, namespace: ns, labels: { app: 'web' } },
        spec: { nodeName: 'node-a' },
      });
      log(`created  ${ns}/${name} rv=${pod.metadata.resourceVersion}`);
    }
    const moved = await storage.guaranteedUpdate(`/pods/${ns}/web-1`, {
      tryUpdate: (pod) => ({ ...pod, spec: { nodeName: 'node-b' } }),
    });
    log(`updated  ${ns}/web-1 → node-b rv=${moved.metadata.resourceVersion}`);
    try {
      await storage.create(`/pods/${ns}/web-0`, { metadata: { name: 'web-0' }, spec: { nodeName: 'x' } });
    } catch (err) {
      log(`create again fails as expected: ${(err as Error).message}`);
    }

    let token: string | undefined;
    let page = 0;
    do {
      const list = await storage.getList(`/pods/${ns}/`, {
        recursive: true,
        predicate: { limit: 2, ...(token ? { continue: token } : {}) },
      });
      page++;
      log(
        `list page ${page}: [${list.items.map((p) => p.metadata.name).join(', ')}] rv=${list.metadata.resourceVersion}` +
          (list.metadata.remainingItemCount !== undefined ? ` remaining=${list.metadata.remainingItemCount}` : ''),
      );
      token = list.metadata.continue;
    } while (token);

    const onB = await storage.getList(`/pods/${ns}/`, { recursive: true, predicate: { field: 'spec.nodeName=node-b' } });
    log(`pods on node-b: [${onB.items.map((p) => p.metadata.name).join(', ')}]`);
    const deleted = await storage.delete(`/pods/${ns}/web-2`);
    log(`deleted  ${ns}/web-2 rv=${deleted.metadata.resourceVersion}`);

    // Let the watch catch up with every write, then stop it.
    const until = Date.now() + 5000;
    while (seen.length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    watch.stop();
    await watching;
    log('watch saw:');
    for (const line of seen) log(`  ${line}`);
    const stats = await storage.stats();
    log(`stats: ${stats.objectCount} pods stored in all`);
  } finally {
    await destroy();
  }
}
