import express from 'express';
import request from 'supertest';
import { ResponseContractError, responseContract } from '../../src/http/responseContract';

/** An app whose one route answers as told, as if the OpenAPI middleware had matched `route`. */
function appAnswering(route: string, status: number, body: unknown) {
  const broken: string[] = [];
  const app = express();
  app.use((req, _res, next) => {
    (req as { openapi?: unknown }).openapi = { openApiRoute: route };
    next();
  });
  app.use(responseContract((err) => broken.push(err.message)));
  app.all('/{*any}', (_req, res) => {
    res.status(status).json(body);
  });
  return { app, broken };
}

describe('responses checked against openapi.yaml', () => {
  test('a body that matches its status\'s schema goes out as it is', async () => {
    const { app, broken } = appAnswering('/healthz', 200, { status: 'ok' });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(broken).toEqual([]);
  });

  test('a status given through components/responses is checked against the schema it refers to', async () => {
    const good = appAnswering('/v1/realms/{realm}', 404, { error: { code: 'realm_not_found', message: 'no realm x' } });
    await request(good.app).get('/v1/realms/x').expect(404);
    expect(good.broken).toEqual([]);
    const bad = appAnswering('/v1/realms/{realm}', 404, { error: { code: 'no_such_code', message: 'no realm x' } });
    const res = await request(bad.app).get('/v1/realms/x').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(bad.broken).toEqual([expect.stringContaining('GET /v1/realms/{realm} answered 404, which openapi.yaml does not match')]);
  });

  test('a body that breaks the schema becomes a 500 internal, and the break is reported', async () => {
    const { app, broken } = appAnswering('/healthz', 200, { status: 'fine' });
    const res = await request(app).get('/healthz').expect(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(broken).toEqual([expect.stringContaining('"allowedValues":["ok"]')]);
  });

  test('a status the operation does not declare is a break too', async () => {
    const { app, broken } = appAnswering('/healthz', 418, { status: 'ok' });
    await request(app).get('/healthz').expect(500);
    expect(broken).toEqual(['GET /healthz answered 418, which openapi.yaml declares no such status']);
  });

  test('HEAD is checked as GET; a request no operation matched is not checked', async () => {
    const head = appAnswering('/healthz', 200, { status: 'fine' });
    await request(head.app).head('/healthz').expect(500);
    expect(head.broken).toHaveLength(1);
    const app = express();
    const broken: ResponseContractError[] = [];
    app.use(responseContract((err) => broken.push(err)));
    app.get('/elsewhere', (_req, res) => {
      res.status(418).json({ anything: true });
    });
    await request(app).get('/elsewhere').expect(418);
    expect(broken).toEqual([]);
  });
});
