import type { Response } from 'supertest';

/**
 * Asserts the one error shape every 4xx/5xx response has: JSON `{error: {code, message, field?}}`,
 * nothing else at the top level, and no trace of a stack or an HTML page.
 */
export function expectError(res: Response, status: number, code: string, field?: string): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (field === undefined) expect(res.body.error.field).toBeUndefined();
  else expect(res.body.error.field).toBe(field);
  expect(res.text).not.toMatch(/<html|<pre|\n\s+at\s|node_modules|\.ts:\d+/i);
  expect(res.body.error.stack).toBeUndefined();
}
