import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { PROJECT_ROOT } from '../../src/projectRoot';

/** Every error code the source can produce, found where codes are written. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated') visit(file);
        continue;
      }
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new AppError\(\s*\d{3},\s*'([a-z_]+)'/g)) codes.add(m[1]);
      for (const m of text.matchAll(/\bcode: '([a-z_]+)'/g)) codes.add(m[1]);
      for (const m of text.matchAll(/\bnotFound\('([a-z]+)'/g)) codes.add(`${m[1]}_not_found`);
      // the error handler's table of codes by status
      for (const m of text.matchAll(/^\s*\d{3}: '([a-z_]+)',$/gm)) codes.add(m[1]);
    }
  };
  visit(path.join(PROJECT_ROOT, 'src'));
  return codes;
}

function codesInOpenapi(): Set<string> {
  const spec = yaml.load(fs.readFileSync(path.join(PROJECT_ROOT, 'openapi.yaml'), 'utf8')) as {
    components: { schemas: { Error: { properties: { error: { properties: { code: { enum: string[] } } } } } } };
  };
  return new Set(spec.components.schemas.Error.properties.error.properties.code.enum);
}

function readmeRows(): Map<string, string[]> {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = new Map<string, string[]>();
  for (const m of section.matchAll(/^\| `([a-z_]+)` \|(.*)\|$/gm)) rows.set(m[1], m[2].split('|').map((c) => c.trim()));
  return rows;
}

describe('error codes are a closed, documented list', () => {
  const source = codesInSource();

  test('the source produces the codes it is known to (the scan finds them)', () => {
    for (const code of ['invalid_request', 'realm_not_found', 'write_unavailable', 'stale', 'method_not_allowed', 'internal']) expect(source).toContain(code);
  });

  test("every code in src/ is in openapi.yaml's Error enum, and every enum value is produced by src/", () => {
    expect([...source].sort()).toEqual([...codesInOpenapi()].sort());
  });

  test("every code in src/ has a row in README's error table (status, meaning, whether a retry helps), and no row is for a code src/ never produces", () => {
    const rows = readmeRows();
    expect([...rows.keys()].sort()).toEqual([...source].sort());
    for (const [code, [status, meaning, retry]] of rows) {
      expect({ code, status }).toEqual({ code, status: expect.stringMatching(/^[45]\d\d$/) });
      expect(meaning.length).toBeGreaterThan(5);
      expect(retry.length).toBeGreaterThan(0);
    }
  });

  test("the codes README marks retryable are exactly those answered with retryable: true", async () => {
    const { RETRYABLE } = await import('../../src/http/errorHandler');
    const marked = [...readmeRows()].filter(([, cells]) => cells[2].includes('retryable: true')).map(([code]) => code);
    expect(marked.sort()).toEqual([...RETRYABLE].sort());
  });
});
