import request from 'supertest';
import { createApp } from '../../src/app';
import type { Lifecycle } from '../../src/http/lifecycle';
import { createLogger } from '../../src/logger';
import { TEST_TOKEN } from '../support/harness';

/** GET /v1/whoami before the policy has loaded: nothing can be vouched for yet. */
const lifecycle: Lifecycle = {};
const app = createApp({ lifecycle, adminToken: TEST_TOKEN, maxBodyBytes: 1024, validateResponses: true, logger: createLogger('silent') });

test.each([TEST_TOKEN, 'rgt_notloadedyet0123456789'])('with a token (%s): 503 not_ready, retryable', async (token) => {
  const res = await request(app).get('/v1/whoami').set('Authorization', `Bearer ${token}`).expect(503);
  expect(res.body).toEqual({ error: { code: 'not_ready', message: 'the policy is still loading; retry shortly', retryable: true } });
});

test('without a token: still a 401', async () => {
  const res = await request(app).get('/v1/whoami').expect(401);
  expect(res.body.error.code).toBe('unauthorized');
});
