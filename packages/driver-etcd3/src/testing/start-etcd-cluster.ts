import { freePorts } from './free-port.js';
import { EtcdProcess, buildArgs, installExitHook, tempDataDir, type EtcdServer, type StartEtcdOptions } from './start-etcd.js';

/** Options for `startEtcdCluster`: those of `startEtcd` (TLS and `dataDir` excepted) plus the member count. */
export interface StartEtcdClusterOptions extends Omit<StartEtcdOptions, 'tls' | 'dataDir'> {
  /** Number of members; default 3. */
  readonly size?: number;
}

/**
 * A multi-member etcd cluster for tests, every member on free loopback ports with its own temp data dir.
 *
 * @example
 * const cluster = await startEtcdCluster({ size: 3, heartbeatIntervalMs: 50, electionTimeoutMs: 500 });
 * try { await cluster.members[0]!.kill('SIGSTOP'); } finally { await cluster.stop(); }
 */
export interface EtcdCluster {
  readonly members: readonly EtcdServer[];
  /** Client URLs of every member, in `members` order. */
  readonly endpoints: readonly string[];
  /** Stops every member and removes their data directories. */
  stop(): Promise<void>;
}

async function spawnCluster(options: StartEtcdClusterOptions, size: number, binary: string): Promise<EtcdProcess[]> {
  const ports = await freePorts(size * 3);
  const token = `test-cluster-${ports[0]}`;
  const peers = Array.from({ length: size }, (_, i) => `n${i}=http://127.0.0.1:${ports[i * 3 + 1]}`).join(',');
  return Array.from({ length: size }, (_, i) => {
    const [clientPort, peerPort, metricsPort] = [ports[i * 3]!, ports[i * 3 + 1]!, ports[i * 3 + 2]!];
    const dataDir = tempDataDir();
    const member = { name: `n${i}`, initialCluster: peers, token };
    const { args, endpoint } = buildArgs(options, dataDir, clientPort, peerPort, metricsPort, member);
    const server = new EtcdProcess(binary, args, endpoint, clientPort, peerPort, metricsPort, dataDir, true, options.startTimeoutMs ?? 20_000);
    server.spawn();
    return server;
  });
}

/** Spawns a loopback cluster and waits until every member reports healthy (a leader is elected). */
export async function startEtcdCluster(options: StartEtcdClusterOptions = {}): Promise<EtcdCluster> {
  installExitHook();
  const binary = options.binary ?? process.env['ETCD_BIN'] ?? '/usr/bin/etcd';
  const size = options.size ?? 3;
  let lastError: unknown;
  // Free ports can be taken between picking and binding; retry the start with new ones.
  for (let attempt = 0; attempt < 3; attempt++) {
    const members = await spawnCluster(options, size, binary);
    try {
      await Promise.all(members.map((m) => m.waitHealthy()));
      return {
        members,
        endpoints: members.map((m) => m.endpoint),
        stop: async () => {
          await Promise.all(members.map((m) => m.stop()));
        },
      };
    } catch (err) {
      lastError = err;
      const portClash = members.some((m) => m.logs().includes('address already in use'));
      await Promise.all(members.map((m) => m.stop()));
      if (!portClash) break;
    }
  }
  throw lastError;
}
