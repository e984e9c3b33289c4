import { connect, createServer, type Socket } from 'node:net';
import type { Etcd3Backend } from '../src/backend.js';
import { startEtcd, type EtcdServer } from '../src/testing/index.js';
import { backendFor } from './helpers.js';

/** A loopback TCP proxy that delays everything the client sends by `delayMs`: a slow network, not a fake etcd. */
export interface LatencyProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startLatencyProxy(targetUrl: string, delayMs: number): Promise<LatencyProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', drop);
      socket.on('close', drop);
    }
    // Timers with equal delays fire in order, so the byte stream stays intact.
    client.on('data', (chunk) => setTimeout(() => upstream.destroyed || upstream.write(chunk), delayMs));
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `${target.protocol}//127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One etcd, a backend talking to it directly and one reaching it through a LatencyProxy. */
export interface SlowLink {
  readonly etcd: EtcdServer;
  readonly direct: Etcd3Backend;
  readonly slow: Etcd3Backend;
  stop(): Promise<void>;
}

export async function startSlowLink(delayMs: number, slowOptions: Record<string, unknown>): Promise<SlowLink> {
  const etcd = await startEtcd();
  const proxy = await startLatencyProxy(etcd.endpoint, delayMs);
  const direct = await backendFor(etcd.endpoint);
  const slow = await backendFor(proxy.endpoint, slowOptions);
  return {
    etcd,
    direct,
    slow,
    stop: async () => {
      await slow.close();
      await direct.close();
      await proxy.close();
      await etcd.stop();
    },
  };
}
