import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { CONNECTION_HELP, connect, withConnection, type ConnectionOptions } from '../connection';
import { importFile, type ImportReport } from '../importing/importFile';
import { NO_PROGRESS, progressBar } from '../importing/progress';
import { formatOf, type ImportFormat } from '../importing/records';
import { EXIT, UsageError, type CliIo } from '../io';

interface ImportOptions extends ConnectionOptions {
  realm: string;
  format?: ImportFormat;
  sync?: boolean;
  dryRun?: boolean;
  fromLine: string;
  batchSize: string;
  limit: string;
  json?: boolean;
}

function positive(name: string, value: string, max: number): number {
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > max) throw new UsageError(`${name} must be a whole number from 1 to ${max}, got '${value}'`);
  return Number(value);
}

function summary(r: ImportReport): string {
  const lines = [
    `${r.dryRun ? 'dry-run of ' : ''}${r.mode === 'sync' ? 'sync' : 'import'} of ${r.file} (${r.format}) into realm ${r.realm}: ${r.records} lines read${r.skipped ? `, ${r.skipped} skipped before --from-line` : ''} in ${r.seconds.toFixed(1)} s`,
  ];
  if (!r.dryRun) {
    lines.push(`  memberships: ${r.memberships.upserted} written, ${r.memberships.unchanged} unchanged${r.mode === 'sync' ? `, ${r.memberships.deleted} deleted` : ''} (${r.batches} ${r.batches === 1 ? 'request' : 'requests'})`);
  }
  lines.push(`  roles: ${r.roles}, users: ${r.users}, orgs: ${r.orgs}${r.dryRun ? ' (read, not written: a dry-run previews memberships only)' : ''}`);
  if (r.revision !== undefined) lines.push(`  revision: ${r.revision}`);
  if (r.preview) {
    const p = r.preview;
    lines.push(`  would create ${p.changes.created}, update ${p.changes.updated}, delete ${p.changes.deleted} records`);
    lines.push(`  would grant ${p.effect.grantedCount} and revoke ${p.effect.revokedCount} (user, org, permission)${p.truncated ? ' (lists below cut short; --limit to see more)' : ''}`);
    for (const e of p.effect.granted) lines.push(`    + ${e.user} ${e.org ?? '(realm)'} ${e.permission}`);
    for (const e of p.effect.revoked) lines.push(`    - ${e.user} ${e.org ?? '(realm)'} ${e.permission}`);
  }
  lines.push(`  rejected lines: ${r.rejected.length}${r.rejected.length > 0 ? ` (${r.rejected.slice(0, 20).map((x) => x.line).join(', ')}${r.rejected.length > 20 ? ', ...' : ''})` : ''}`);
  if (r.mode === 'sync' && r.rejected.length > 0) lines.push('  nothing was synced: a sync with lines left out would delete their memberships');
  if (r.error) lines.push(`  stopped: ${r.error}`, `  resume with: --from-line ${r.resumeFrom}`);
  return `${lines.join('\n')}\n`;
}

/** `realmgate import`: memberships (and roles, users, orgs) from a file, in batches. */
export function importCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  withConnection(
    program
      .command('import')
      .description('write the memberships (and roles, users, orgs) of a file into a realm, in batches')
      .argument('<file>', 'NDJSON (one record per line), JSON (an array) or CSV (a header line, then one membership per line)')
      .requiredOption('--realm <realm>', 'the realm to write into (it must exist)')
      .addOption(new Option('--format <format>', 'the file format (default: from the extension: .csv, .json, else ndjson)').choices(['ndjson', 'json', 'csv'])),
  )
    .option('--sync', "make the realm's memberships exactly the file's, in one atomic sync (the whole file is held in memory; at most 100000)")
    .option('--dry-run', 'write nothing: print what the memberships would change, and who would gain and lose which permission')
    .option('--from-line <n>', 'skip the lines before this one (resume an import that stopped)', '1')
    .option('--batch-size <n>', 'memberships per request (at most 10000)', '2000')
    .option('--limit <n>', 'with --dry-run: at most this many granted and revoked entries listed', '100')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Records (NDJSON and JSON): a membership {"user", "org"?, "roles"?, "permissions"?, "expiresAt"?},
or {"kind": "role", "role", "permissions"}, {"kind": "user", "user", "state"}, {"kind": "org", "org"}
(what \`realmgate export\` writes). CSV columns: user,org,roles,permissions,expiresAt; roles and
permissions separated by spaces, an empty org for a realm-level membership.

Every line the sidecar would refuse is reported by number (for JSON, the item's number) and left
out; the others are written. A progress bar is drawn on stderr when it is a terminal.

Exit codes: 0 every line imported, 1 a line was rejected, 2 bad usage, or the import stopped
(unreachable, refused token, unknown realm): the report says which --from-line resumes it.
${CONNECTION_HELP}

Examples:
  $ realmgate import memberships.ndjson --realm shop
  $ realmgate import people.csv --realm shop --batch-size 5000
  $ realmgate import shop.ndjson --realm shop --sync --dry-run
  $ realmgate import memberships.ndjson --realm shop --from-line 40001 --json`,
    )
    .action(async (file: string, options: ImportOptions) => {
      const fromLine = positive('--from-line', options.fromLine, Number.MAX_SAFE_INTEGER);
      const batchSize = positive('--batch-size', options.batchSize, 10_000);
      const limit = positive('--limit', options.limit, 100_000);
      if (options.sync && fromLine > 1) throw new UsageError('--sync cannot start at --from-line: a sync of part of the file would delete the memberships of the rest');
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch (err) {
        throw new UsageError(`${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const client = connect(options, io);
      const progress = io.progressStream ? progressBar(size, io.progressStream) : NO_PROGRESS;
      let report: ImportReport;
      try {
        report = await importFile(
          client.realm(options.realm),
          { file, format: options.format ?? formatOf(file), sync: options.sync ?? false, dryRun: options.dryRun ?? false, fromLine, batchSize, dryRunLimit: limit },
          progress,
          (r) => {
            if (!options.json) io.err(`line ${r.line}: ${r.message}\n`);
          },
        );
      } finally {
        progress.stop();
        await client.close();
      }
      io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
      setExitCode(report.error !== undefined ? EXIT.usage : report.rejected.length > 0 ? EXIT.failed : EXIT.ok);
    });
}
