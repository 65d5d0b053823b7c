import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { junitXml } from '../../policyTests/junit';
import { exitCode, runPolicyTests } from '../../policyTests/runPolicyTests';
import { textReport } from '../../policyTests/textReport';
import { UsageError, type CliIo } from '../io';

interface TestOptions {
  url?: string;
  tokenFile?: string;
  reporter: 'text' | 'junit' | 'json';
  json?: boolean;
  output?: string;
}

function readToken(options: TestOptions, io: CliIo): string | undefined {
  if (options.tokenFile) {
    try {
      return fs.readFileSync(options.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--token-file ${options.tokenFile} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  return io.env.REALMGATE_TOKEN?.trim() || undefined;
}

/** `realmgate test [paths...]`: runs policy test files, offline or against a live sidecar. */
export function testCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('test')
    .description('run policy test files (*.test.yaml): fixtures and checks with their expected answers')
    .argument('[paths...]', 'test files, or directories searched for *.test.yaml', ['.'])
    .option('--url <url>', 'run against this live sidecar (fixtures go into scratch realms, deleted after) instead of offline')
    .option('--token-file <file>', 'with --url: a file holding the bearer token (default: $REALMGATE_TOKEN)')
    .addOption(new Option('--reporter <name>', 'output format').choices(['text', 'junit', 'json']).default('text'))
    .option('--json', 'same as --reporter json')
    .option('--output <file>', 'write the report to this file (a text summary still goes to stdout)')
    .addHelpText(
      'after',
      `
Exit codes: 0 every test passed, 1 a test failed, 2 a file could not be run or bad usage.

Examples:
  $ realmgate test policies/
  $ realmgate test policies/examples/001-authrocket-memberships-permissions.test.yaml --json
  $ realmgate test policies/ --reporter junit --output reports/policy-tests.xml
  $ REALMGATE_TOKEN=... realmgate test policies/ --url http://127.0.0.1:8181`,
    )
    .action(async (paths: string[], options: TestOptions) => {
      const reporter = options.json ? 'json' : options.reporter;
      if (options.tokenFile && !options.url) throw new UsageError('--token-file needs --url');
      if (options.url !== undefined && !/^https?:\/\/[^/]/.test(options.url)) throw new UsageError(`--url must be an http:// or https:// URL, got '${options.url}'`);
      const live = options.url ? { url: options.url, token: readToken(options, io) } : undefined;
      const run = await runPolicyTests(paths, { live });
      const report = reporter === 'junit' ? junitXml(run) : reporter === 'json' ? `${JSON.stringify(run, null, 2)}\n` : textReport(run);
      if (options.output) {
        fs.writeFileSync(options.output, report);
        if (reporter !== 'text') io.out(textReport(run));
      } else {
        io.out(report);
      }
      setExitCode(exitCode(run));
    });
}
