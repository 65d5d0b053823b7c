#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../projectRoot';
import { isRealmgateError } from '@realmgate/client';
import { checkCommand } from './commands/check';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { serveCommand } from './commands/serve';
import { testCommand } from './commands/test';
import { tokenCommand } from './commands/token';
import { EXIT, processIo, UsageError, type CliIo } from './io';

const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };

/** The `realmgate` command line: one file per command under commands/. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('realmgate')
    .description('realmgate: an authorization sidecar, and the tools to operate it')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ realmgate serve
  $ realmgate check ann orders:read --org north --realm shop
  $ realmgate import memberships.ndjson --realm shop
  $ realmgate export --realm shop --output shop.ndjson
  $ realmgate token create --realm shop --name app --scopes check
  $ realmgate test policies/
  $ realmgate help import

Exit codes: 0 success (allowed, all lines imported, tests passed), 1 a deny, a rejected line or a
failed test, 2 bad usage or no usable answer from the sidecar.`,
    );
  serveCommand(program);
  checkCommand(program, io, setExitCode);
  importCommand(program, io, setExitCode);
  exportCommand(program, io);
  tokenCommand(program, io);
  testCommand(program, io, setExitCode);
  return program;
}

/** Runs the command line; resolves with the exit code (a command that keeps running, like serve, resolves once started). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (isRealmgateError(err)) {
      io.err(`realmgate: ${err.status === 0 ? err.message : `the sidecar answered ${err.status} ${err.code}: ${err.message}`}\n`);
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.err(`realmgate: ${err.message}\n`);
      return EXIT.usage;
    }
    io.err(`realmgate: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
}

if (require.main === module) {
  // `realmgate export ... | head`: a reader that stops early closes the pipe; that ends the command quietly, as it does for other tools
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
