import type { Decision, EffectivePermissions } from '@realmgate/client';
import type { Command } from 'commander';
import { CONNECTION_HELP, connect, withConnection, type ConnectionOptions } from '../connection';
import { EXIT, UsageError, type CliIo } from '../io';

interface CheckOptions extends ConnectionOptions {
  org?: string;
  realm?: string;
  explain?: boolean;
  json?: boolean;
  exitZero?: boolean;
}

function describe(subject: string, permission: string, options: CheckOptions, decision: Decision, held?: EffectivePermissions): string {
  const where = options.org === undefined ? 'at realm level' : `in org ${options.org}`;
  const realm = options.realm === undefined ? '' : ` (realm ${options.realm})`;
  const lines = [`${decision.allowed ? 'allowed' : 'denied'}: ${subject} ${permission} ${where}${realm}`, `  reason:   ${decision.reason}`];
  if (decision.match) {
    lines.push(`  membership: ${decision.match.user} ${decision.match.org === null ? 'at realm level' : `in ${decision.match.org}`} (realm ${decision.match.realm})`);
    lines.push(`  through:  ${decision.match.role === null ? 'a direct grant' : `role ${decision.match.role}`}`);
    lines.push(`  grant:    ${decision.match.grant}`);
  }
  lines.push(`  revision: ${decision.revision}`);
  if (held) {
    lines.push(`  user state: ${held.state}; membership ${held.effective ? 'in effect' : `not in effect (${held.reason})`}${held.expiresAt ? `, expires ${held.expiresAt}` : ''}`);
    lines.push(`  roles:    ${held.roles.join(', ') || '(none)'}`);
    for (const [role, tags] of Object.entries(held.byRole)) lines.push(`    ${role}: ${tags.join(' ') || '(no tags)'}`);
    lines.push(`  direct:   ${held.direct.join(' ') || '(none)'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `realmgate check`: one decision, explained. */
export function checkCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  withConnection(
    program
      .command('check')
      .description('ask the sidecar whether <subject> may do <permission> (in --org, or at realm level)')
      .argument('<subject>', 'the user id')
      .argument('<permission>', 'the permission tag asked for (literal: a * in it is not a wildcard)')
      .option('--org <org>', 'the org to check in; without it, a realm-level check')
      .option('--realm <realm>', "the realm (default: the sidecar's REALMGATE_DEFAULT_REALM)"),
  )
    .option('--explain', "also show the user's state, membership, roles and grants there (needs the read scope)")
    .option('--json', 'print the decision (and, with --explain, the permissions) as JSON')
    .option('--exit-zero', 'exit 0 on a deny too (only usage and connection errors are non-zero)')
    .addHelpText(
      'after',
      `
Exit codes: 0 allowed, 1 denied, 2 bad usage or no answer (unreachable, 401, 403...).
${CONNECTION_HELP}

Examples:
  $ realmgate check ann orders:read --org north --realm shop
  $ realmgate check ann orders:read --org north --realm shop --explain
  $ realmgate check ann reports.read --realm shop --json
  $ realmgate check ann orders:read --org north --realm shop --socket /run/realmgate.sock`,
    )
    .action(async (subject: string, permission: string, options: CheckOptions) => {
      if (options.explain && options.realm === undefined) throw new UsageError('--explain needs --realm');
      const client = connect(options, io);
      try {
        const decision = await client.check({ subject, permission, org: options.org, realm: options.realm });
        let held: EffectivePermissions | undefined;
        if (options.explain && decision.reason !== 'unknown_realm' && decision.reason !== 'unknown_user' && decision.reason !== 'unknown_org') {
          held = await client.permissions(subject, { org: options.org, realm: options.realm }).catch((err: { status?: number }) => {
            if (err.status === 404) return undefined;
            throw err;
          });
        }
        io.out(options.json ? `${JSON.stringify(held ? { ...decision, permissions: held } : decision, null, 2)}\n` : describe(subject, permission, options, decision, held));
        setExitCode(decision.allowed || options.exitZero ? EXIT.ok : EXIT.failed);
      } finally {
        await client.close();
      }
    });
}
