import type { EtcdClient } from './client/etcd-client.js';

/**
 * Whether an etcd server version answers a watch progress request in order with the stream's events
 * (etcd#15220, fixed in 3.4.31 and 3.5.13; every 3.6+). Older servers answer it out of band, possibly ahead of
 * events they already queued, so the revision it carries may not have been delivered yet.
 *
 * @example
 * orderedProgressSupported('3.4.23'); // false
 * orderedProgressSupported('3.5.13'); // true
 */
export function orderedProgressSupported(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (match === null) return false;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major !== 3) return major > 3;
  if (minor === 4) return patch >= 31;
  if (minor === 5) return patch >= 13;
  return minor >= 6;
}

/**
 * Like Kubernetes' feature support checker: asks every configured member for its version (all within
 * `timeoutMs`) and reports ordered progress only if every one supports it. A member that cannot be asked
 * counts as unsupported.
 */
export async function detectOrderedProgress(client: EtcdClient, timeoutMs: number): Promise<boolean> {
  const signal = AbortSignal.timeout(timeoutMs);
  const versions = await Promise.all(
    client.endpoints.map((_, index) => client.endpointStatus(index, { signal, timeoutMs }).then((s) => s.version, () => '')),
  );
  return versions.every(orderedProgressSupported);
}
