import { Router, type Request, type Response } from 'express';
import { AppError } from '../errors';
import { toResponse } from '../http/errorHandler';
import { EventStreams } from '../http/eventStreams';
import { ready, type Lifecycle } from '../http/lifecycle';
import { deleteRealm, getRealm, putRealm } from '../services/realms';
import { listChanges } from '../services/listChanges';
import { streamChanges, streamPosition } from '../services/streamChanges';

const wantsStream = (req: Request): boolean => (req.get('accept') ?? '').includes('text/event-stream');

/**
 * The change feed as Server-Sent Events. A missing realm is a plain 404; a start that was
 * compacted, then or later, is an `error` event (the polling form's 410) and the end of the stream.
 */
async function streamFeed(lifecycle: Lifecycle, streams: EventStreams, heartbeatMs: number, req: Request, res: Response): Promise<void> {
  const deps = ready(lifecycle);
  const realm = req.params.realm as string;
  const position = streamPosition(Number(req.query.after ?? 0), req.get('last-event-id'));
  let first: Awaited<ReturnType<typeof listChanges>> | undefined;
  let failure: unknown;
  try {
    first = await listChanges(deps, realm, position.after, 500);
  } catch (err) {
    if (!(err instanceof AppError && err.status === 410)) throw err;
    failure = err;
  }
  const sink = streams.start(res);
  try {
    if (first) await streamChanges(deps, realm, position, first, sink, heartbeatMs);
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined) EventStreams.fail(res, sink, toResponse(failure, req).body);
}

export function realmRoutes(lifecycle: Lifecycle, streams = new EventStreams()): Router {
  const router = Router();
  router.put('/v1/realms/:realm', async (req, res) => {
    const result = await putRealm(ready(lifecycle), req.params.realm);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.get('/v1/realms/:realm', async (req, res) => {
    res.json(await getRealm(ready(lifecycle), req.params.realm));
  });
  router.delete('/v1/realms/:realm', async (req, res) => {
    res.json(await deleteRealm(ready(lifecycle), req.params.realm));
  });
  router.get('/v1/realms/:realm/changes', async (req, res) => {
    if (wantsStream(req)) return streamFeed(lifecycle, streams, ready(lifecycle).config.streamHeartbeatMs, req, res);
    const after = Number(req.query.after ?? 0);
    const limit = Number(req.query.limit ?? 100);
    res.json(await listChanges(ready(lifecycle), req.params.realm, after, limit));
  });
  return router;
}
