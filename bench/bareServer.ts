import express from 'express';

/**
 * The baseline for HTTP: express 5 with express.json() and one POST route answering a constant,
 * with the same two settings realmgate's app makes (no x-powered-by, no etag). Listens on
 * BARE_SOCKET if set, else on 127.0.0.1:BARE_PORT, and tells its parent when it does.
 */
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json());
app.post('/v1/check', (_req, res) => {
  res.json({ allowed: true });
});

const server = process.env.BARE_SOCKET
  ? app.listen(process.env.BARE_SOCKET)
  : app.listen(Number(process.env.BARE_PORT), '127.0.0.1');
server.once('listening', () => process.send?.('listening'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
