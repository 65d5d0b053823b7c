import express from 'express';
import request from 'supertest';
import { AppError } from '../../src/errors';
import { errorHandler, fieldFromPath } from '../../src/http/errorHandler';
import { expectError } from './apiErrors';

function appThrowing(err: unknown, internal: unknown[] = []) {
  const app = express();
  app.get('/boom', () => {
    throw err;
  });
  app.use(errorHandler((e) => internal.push(e)));
  return app;
}

describe('errorHandler', () => {
  test('an AppError keeps its status, code, field and details', async () => {
    const res = await request(appThrowing(new AppError(409, 'role_in_use', 'held', undefined, { memberships: 2 }))).get('/boom');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'role_in_use', message: 'held', memberships: 2 } });
  });

  test('an unexpected error is a 500 with no detail, reported once', async () => {
    const internal: unknown[] = [];
    const err = new Error('secret detail at /home/app/src/x.ts:12');
    const res = await request(appThrowing(err, internal)).get('/boom');
    expectError(res, 500, 'internal');
    expect(JSON.stringify(res.body)).not.toMatch(/secret|\.ts/);
    expect(internal).toEqual([err]);
  });

  test.each(['P2028', 'P2034'])('a write transaction that timed out or lost a conflict (%s) is a 503, not a 500', async (code) => {
    const internal: unknown[] = [];
    const res = await request(appThrowing(Object.assign(new Error('Transaction already closed'), { code }), internal)).get('/boom');
    expectError(res, 503, 'write_unavailable');
    expect(internal).toEqual([]);
  });

  test("Prisma's query compiler running out of stack is a retryable 503 (database_unavailable for a read), not a 500", async () => {
    // found by the fuzz test: now and then, under load, a query fails to compile with this error and no SQL runs
    const overflow = Object.assign(new Error('\nInvalid `db.change.findMany()` invocation:\n\nMaximum call stack size exceeded'), { name: 'PrismaClientUnknownRequestError' });
    const internal: unknown[] = [];
    const res = await request(appThrowing(overflow, internal)).get('/boom');
    expectError(res, 503, 'database_unavailable');
    expect(res.body.error.retryable).toBe(true);
    expect(internal).toEqual([]);
  });

  test('validator paths become request field names', () => {
    expect(fieldFromPath('/body/checks/3/permission')).toBe('checks[3].permission');
    expect(fieldFromPath('.query.org')).toBe('org');
    expect(fieldFromPath('/body/upsert/2/roles/0')).toBe('upsert[2].roles[0]');
    expect(fieldFromPath('v1.realms.{realm}')).toBeUndefined();
  });
});
