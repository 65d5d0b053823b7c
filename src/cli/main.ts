#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { PROJECT_ROOT } from '../projectRoot';
import { serveCommand } from './commands/serve';
import { testCommand } from './commands/test';
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
  $ realmgate test policies/
  $ realmgate help test`,
    );
  serveCommand(program);
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
    if (err instanceof UsageError) {
      io.err(`realmgate: ${err.message}\n`);
      return EXIT.usage;
    }
    io.err(`realmgate: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
