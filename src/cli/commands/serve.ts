import type { Command } from 'commander';

/** `realmgate serve`: the sidecar itself, configured from the environment (what `npm start` runs). */
export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the sidecar: HTTP API on HOST:PORT, policy in memory, configured from the environment')
    .addHelpText(
      'after',
      `
Configuration comes from environment variables (see README, "Configuration").

Examples:
  $ realmgate serve
  $ PORT=9000 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/realmgate realmgate serve`,
    )
    .action(async () => {
      // the service's entry point starts on load and owns the process from then on (signals, exit)
      await import('../../main');
    });
}
