import fs from 'node:fs';
import net from 'node:net';
import type { RequestListener, Server } from 'node:http';
import { createHttpServer, listen, type ServerTimeouts } from './httpServer';

/** Whether something answers on the socket file (a live process), as opposed to a stale file left by a crash. */
function inUse(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Serves the app on a Unix domain socket too, for apps in the same pod (a shared volume): no TCP
 * stack, no port. A stale socket file from an earlier run is replaced; a live one is an error.
 * The socket is readable and writable by owner and group.
 */
export async function listenOnSocket(app: RequestListener, socketPath: string, timeouts: ServerTimeouts): Promise<Server> {
  if (fs.existsSync(socketPath)) {
    if (!fs.statSync(socketPath).isSocket()) throw new Error(`${socketPath} exists and is not a socket`);
    if (await inUse(socketPath)) throw new Error(`${socketPath} is in use by another process`);
    fs.unlinkSync(socketPath);
  }
  const server = createHttpServer(app, timeouts);
  await listen(server, { path: socketPath });
  fs.chmodSync(socketPath, 0o660);
  return server;
}
