import express from 'express';
import request from 'supertest';
import { AppError } from '../../src/errors';
import { errorHandler } from '../../src/http/errorHandler';
import { aheadOfApp, resumeFromHotPath } from '../../src/routes/checkHotPath';

/** The hand-off between the check hot path and the app behind it, with stand-ins for both. */
describe('aheadOfApp', () => {
  const reported: unknown[] = [];
  const app = express();
  app.use(resumeFromHotPath);
  app.get('/plain', (_req, res) => void res.json({ by: 'app' }));
  app.use(errorHandler((err) => reported.push(err)));

  test('what the hot path passes on is answered by the app', async () => {
    const listener = aheadOfApp((_req, _res, next) => next(), app);
    const res = await request(listener).get('/plain').expect(200);
    expect(res.body).toEqual({ by: 'app' });
  });

  test('an error the hot path hands on reaches the error handler, which words it', async () => {
    const listener = aheadOfApp((_req, _res, next) => next(new AppError(421, 'misdirected_request', 'not this host')), app);
    const res = await request(listener).get('/plain').expect(421);
    expect(res.body).toEqual({ error: { code: 'misdirected_request', message: 'not this host' } });
  });

  test('a throw inside the hot path is an internal error answered by the app, not a crashed process', async () => {
    reported.length = 0;
    const listener = aheadOfApp(() => {
      throw new Error('broken hot path');
    }, app);
    const res = await request(listener).get('/plain').expect(500);
    expect(res.body.error.code).toBe('internal');
    expect(reported).toEqual([expect.objectContaining({ message: 'broken hot path' })]);
  });
});
