import { createServer } from 'node:net';

/** A loopback TCP port that was free a moment ago (listen on port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

// Ports handed out in this process are never handed out again: a port freed by a stopped server must not come back
// to another server while a client of the first may still dial it.
const issued = new Set<number>();

/** `count` distinct free loopback ports, none handed out before by this process. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (issued.has(port)) continue;
    issued.add(port);
    ports.push(port);
  }
  return ports;
}
