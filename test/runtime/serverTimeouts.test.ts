import net from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { boundPort, createHttpServer, listen } from '../../src/http/httpServer';

/** An app that reads the whole body before answering, like every write route. */
function echoApp() {
  const app = express();
  app.use(express.json());
  app.post('/echo', (req, res) => void res.json(req.body));
  return app;
}

async function serve(timeouts: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number }): Promise<Server> {
  const server = createHttpServer(echoApp(), timeouts);
  await listen(server, { port: 0, host: '127.0.0.1' });
  return server;
}

/** Connects, lets `talk` write, and resolves with everything received and the time until the server closed. */
function converse(server: Server, talk: (socket: net.Socket) => void): Promise<{ received: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(boundPort(server, 0), '127.0.0.1');
    const opened = performance.now();
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    // the server closing while the client still writes is what these tests provoke
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    socket.once('close', () => resolve({ received, closedAfterMs: performance.now() - opened }));
    socket.once('connect', () => talk(socket));
  });
}

describe('server timeouts', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  test('a body trickled a byte at a time is answered 408 and closed once the request timeout has passed', async () => {
    const server = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 5000 });
    servers.push(server);
    let trickle: NodeJS.Timeout | undefined;
    const { received, closedAfterMs } = await converse(server, (socket) => {
      socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":"');
      trickle = setInterval(() => socket.writable && socket.write('x'), 100);
    });
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(4000);
  });

  test('headers that never end are cut at the headers timeout', async () => {
    const server = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5000 });
    servers.push(server);
    const { received, closedAfterMs } = await converse(server, (socket) => socket.write('POST /echo HTTP/1.1\r\nHost: x\r\n'));
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(3000);
  });

  test('an idle keep-alive connection is closed after the keep-alive timeout, and the timeout is announced', async () => {
    const server = await serve({ headersTimeoutMs: 1000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 300 });
    servers.push(server);
    const { received, closedAfterMs } = await converse(server, (socket) =>
      socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}'),
    );
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toContain('Keep-Alive: timeout=0');
    expect(closedAfterMs).toBeLessThan(3000);
  });

  test('a request within the limits is answered as usual', async () => {
    const server = await serve({ headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 5000 });
    servers.push(server);
    const res = await fetch(`http://127.0.0.1:${boundPort(server, 0)}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await res.json()).toEqual({ a: 1 });
  });
});
