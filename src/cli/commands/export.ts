import fs from 'node:fs';
import { once } from 'node:events';
import type { RealmClient } from '@realmgate/client';
import type { Command } from 'commander';
import { CONNECTION_HELP, connect, withConnection, type ConnectionOptions } from '../connection';
import type { CliIo } from '../io';

interface ExportOptions extends ConnectionOptions {
  realm: string;
  output?: string;
  json?: boolean;
}

export const EXPORT_VERSION = 1;
const PAGE = 5000;

/** Every page of a listing, one after the other. */
async function* pages<T>(read: (cursor: string | undefined) => Promise<{ next: string | null; items: T[] }>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield* page.items;
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
}

/**
 * The realm as NDJSON, one record per line, always in the same order and form: a header, roles,
 * orgs, users (with state), then memberships, each sorted by name (memberships by user, then org);
 * keys in a fixed order, no timestamps or revisions. `realmgate import` reads it back.
 */
async function* bundleLines(realm: RealmClient, counts: Record<'roles' | 'orgs' | 'users' | 'memberships', number>): AsyncGenerator<string> {
  const summary = await realm.get();
  yield JSON.stringify({ kind: 'realmgate-export', version: EXPORT_VERSION, realm: realm.name });
  for (const role of [...summary.roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    counts.roles += 1;
    yield JSON.stringify({ kind: 'role', role: role.name, permissions: role.permissions });
  }
  for await (const org of pages((cursor) => realm.orgs({ cursor, limit: PAGE }).then((p) => ({ next: p.next, items: p.orgs })))) {
    counts.orgs += 1;
    yield JSON.stringify({ kind: 'org', org });
  }
  for await (const u of pages((cursor) => realm.users({ cursor, limit: PAGE }).then((p) => ({ next: p.next, items: p.users })))) {
    counts.users += 1;
    yield JSON.stringify({ kind: 'user', user: u.user, state: u.state });
  }
  for await (const m of pages((cursor) => realm.allMemberships({ cursor, limit: PAGE }).then((p) => ({ next: p.next, items: p.memberships })))) {
    counts.memberships += 1;
    yield JSON.stringify({ user: m.user, org: m.org, roles: m.roles, permissions: m.permissions, expiresAt: m.expiresAt });
  }
}

/** `realmgate export`: a realm as a deterministic NDJSON bundle. */
export function exportCommand(program: Command, io: CliIo): void {
  withConnection(
    program
      .command('export')
      .description('write a realm (roles, orgs, users with state, memberships with expiry) as a deterministic NDJSON bundle')
      .requiredOption('--realm <realm>', 'the realm to export')
      .option('--output <file>', 'write the bundle to this file (default: stdout)'),
  )
    .option('--json', 'with --output: print what was written as JSON')
    .addHelpText(
      'after',
      `
The bundle is NDJSON: a header line, then roles, orgs, users and memberships, each sorted by name
(memberships by user, then org), keys always in the same order. The same realm exports to the same
bytes. \`realmgate import <bundle> --realm <empty realm>\` reproduces it (same /v1/state digest).
Needs a token with the read scope.
${CONNECTION_HELP}

Examples:
  $ realmgate export --realm shop --output shop.ndjson
  $ realmgate export --realm shop | gzip > shop.ndjson.gz
  $ realmgate import shop.ndjson --realm shop-copy`,
    )
    .action(async (options: ExportOptions) => {
      const client = connect(options, io);
      const counts = { roles: 0, orgs: 0, users: 0, memberships: 0 };
      try {
        if (options.output === undefined) {
          for await (const line of bundleLines(client.realm(options.realm), counts)) io.out(`${line}\n`);
          return;
        }
        const part = `${options.output}.part`;
        const out = fs.createWriteStream(part);
        try {
          for await (const line of bundleLines(client.realm(options.realm), counts)) {
            if (!out.write(`${line}\n`)) await once(out, 'drain');
          }
          out.end();
          await once(out, 'finish');
        } catch (err) {
          out.destroy();
          fs.rmSync(part, { force: true });
          throw err;
        }
        // a bundle appears whole or not at all
        fs.renameSync(part, options.output);
        const written = { realm: options.realm, output: options.output, ...counts };
        io.out(options.json ? `${JSON.stringify(written, null, 2)}\n` : `exported realm ${options.realm} to ${options.output}: ${counts.roles} roles, ${counts.orgs} orgs, ${counts.users} users, ${counts.memberships} memberships\n`);
      } finally {
        await client.close();
      }
    });
}
