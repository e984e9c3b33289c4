import { Gauge, type Registry } from 'prom-client';

type SizeSource = (signal: AbortSignal) => Promise<number>;

interface Database {
  readonly id: string;
  readonly sources: Set<SizeSource>;
}

/** How long a scrape waits for one database's size (Kubernetes: 1 s per monitor). */
const SIZE_TIMEOUT_MS = 1000;
const databases = new WeakMap<Registry, Map<string, Database>>();

/**
 * `apiserver_storage_size_bytes{storage_cluster_id}`, read at scrape time from every registered database; a database
 * that fails or takes longer than a second is left out of that scrape, as Kubernetes' monitor collector does.
 */
export function storageSizeDatabases(registry: Registry): Map<string, Database> {
  let known = databases.get(registry);
  if (known !== undefined) return known;
  const created = new Map<string, Database>();
  known = created;
  databases.set(registry, created);
  if (registry.getSingleMetric('apiserver_storage_size_bytes') === undefined) {
    new Gauge({
      name: 'apiserver_storage_size_bytes',
      help: '[STABLE] Size of the storage database file physically allocated in bytes.',
      labelNames: ['storage_cluster_id'],
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          [...created.values()].map(async (db) => {
            const [source] = db.sources;
            if (source === undefined) return;
            const signal = AbortSignal.timeout(SIZE_TIMEOUT_MS);
            try {
              const size = await Promise.race([
                source(signal),
                new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
              ]);
              this.set({ storage_cluster_id: db.id }, size);
            } catch {
              // Left out of this scrape, like a failing monitor upstream.
            }
          }),
        );
      },
    });
  }
  return created;
}

/** Adds a size source under `key`; equal keys are one database. Returns the unregister function. */
export function registerDatabase(registry: Registry, key: string, source: SizeSource): () => void {
  const known = storageSizeDatabases(registry);
  let db = known.get(key);
  if (db === undefined) {
    db = { id: `etcd-${known.size}`, sources: new Set() };
    known.set(key, db);
  }
  const entry: SizeSource = (signal) => source(signal);
  db.sources.add(entry);
  const target = db;
  return () => {
    target.sources.delete(entry);
  };
}
