import fs from 'node:fs';
import readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';

export type ImportFormat = 'ndjson' | 'json' | 'csv';

/** One record of an import file: its line (item, for JSON) number, and the value or why it cannot be read. */
export type RawRecord = { line: number; value: unknown; bytes: number } | { line: number; error: string; bytes: number };

/** The format a file's name suggests: .csv, .json, anything else NDJSON. */
export function formatOf(file: string): ImportFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.json$/i.test(file)) return 'json';
  return 'ndjson';
}

/** One JSON value per line; blank lines are skipped, their numbers still counted. Streams. */
async function* ndjsonRecords(file: string): AsyncGenerator<RawRecord> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const bytes = Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text), bytes };
    } catch (err) {
      yield { line, error: `not JSON: ${(err as Error).message}`, bytes };
    }
  }
}

/** A JSON array of records, or an object with a `memberships` array; numbered by item (1 is the first). Read whole. */
async function* jsonRecords(file: string): AsyncGenerator<RawRecord> {
  const text = await fs.promises.readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
  const items = Array.isArray(parsed) ? parsed : (parsed as { memberships?: unknown })?.memberships;
  if (!Array.isArray(items)) throw new Error(`${file}: expected a JSON array, or an object with a "memberships" array`);
  const bytes = Buffer.byteLength(text) / Math.max(1, items.length);
  for (let i = 0; i < items.length; i += 1) yield { line: i + 1, value: items[i], bytes };
}

const CSV_COLUMNS = ['user', 'org', 'roles', 'permissions', 'expiresAt'];

const words = (cell: string | undefined): string[] => (cell ?? '').split(/\s+/).filter((w) => w !== '');

/**
 * A header line naming columns among user, org, roles, permissions, expiresAt; then one membership
 * per line. roles and permissions are separated by spaces; an empty org is a realm-level
 * membership, an empty expiresAt none. Streams.
 */
async function* csvRecords(file: string): AsyncGenerator<RawRecord> {
  const parser = fs.createReadStream(file).pipe(parseCsv({ columns: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: false }));
  let consumed = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
      const bytes = info.bytes - consumed;
      consumed = info.bytes;
      const unknown = Object.keys(record).filter((c) => !CSV_COLUMNS.includes(c));
      if (unknown.length > 0) throw new Error(`${file}: unknown column ${unknown.map((c) => `'${c}'`).join(', ')}; columns are ${CSV_COLUMNS.join(', ')}`);
      const value: Record<string, unknown> = { user: record.user ?? '' };
      if (record.org) value.org = record.org;
      if (record.roles !== undefined) value.roles = words(record.roles);
      if (record.permissions !== undefined) value.permissions = words(record.permissions);
      if (record.expiresAt) value.expiresAt = record.expiresAt;
      yield { line: info.lines, value, bytes };
    }
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    if (e.code?.startsWith('CSV_')) throw new Error(`${file} line ${e.lines ?? '?'}: ${e.message}`);
    throw err;
  }
}

/** The records of an import file, in order, with their line numbers. */
export function readRecords(file: string, format: ImportFormat): AsyncGenerator<RawRecord> {
  if (format === 'csv') return csvRecords(file);
  if (format === 'json') return jsonRecords(file);
  return ndjsonRecords(file);
}
