import type { Scope, Token } from '@realmgate/client';
import type { Command } from 'commander';
import { CONNECTION_HELP, connect, withConnection, type ConnectionOptions } from '../connection';
import { UsageError, type CliIo } from '../io';

interface TokenOptions extends ConnectionOptions {
  realm: string;
  json?: boolean;
}

const SCOPES: readonly Scope[] = ['check', 'read', 'write', 'admin'];

function scopesOf(value: string): Scope[] {
  const scopes = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scopes.find((s) => !SCOPES.includes(s as Scope));
  if (unknown !== undefined || scopes.length === 0) throw new UsageError(`--scopes must be a comma-separated list of ${SCOPES.join(', ')}, got '${value}'`);
  return [...new Set(scopes)] as Scope[];
}

const row = (t: Token) => `${t.id}  ${t.scopes.join(',').padEnd(12)}  created ${t.createdAt}  ${t.expiresAt ? `expires ${t.expiresAt}` : 'never expires'}  ${t.name}`;

/** `realmgate token create|list|revoke`: a realm's tokens (needs the admin token or a realm token with admin). */
export function tokenCommand(program: Command, io: CliIo): void {
  const token = program
    .command('token')
    .description("manage a realm's tokens: create (the secret is shown once), list, revoke")
    .addHelpText(
      'after',
      `
Needs the admin token, or a token of the realm with the admin scope.
${CONNECTION_HELP}

Examples:
  $ realmgate token create --realm shop --name "orders service" --scopes read
  $ realmgate token list --realm shop
  $ realmgate token revoke --realm shop 6f0c2a5e-...`,
    );

  withConnection(
    token
      .command('create')
      .description('create a realm token and print its secret, this once')
      .requiredOption('--realm <realm>', 'the realm it acts in')
      .requiredOption('--name <name>', 'what it is for, for people reading the list')
      .requiredOption('--scopes <list>', 'comma-separated: check, read, write, admin (each includes the ones before it)')
      .option('--expires-at <date-time>', 'from this instant on it is refused (RFC 3339, in the future)')
      .option('--json', 'print the created token, secret included, as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ realmgate token create --realm shop --name "orders service" --scopes read
  $ realmgate token create --realm shop --name ci --scopes write --expires-at 2027-01-01T00:00:00Z --json`,
    )
    .action(async (options: TokenOptions & { name: string; scopes: string; expiresAt?: string }) => {
      const scopes = scopesOf(options.scopes);
      if (options.expiresAt !== undefined && Number.isNaN(Date.parse(options.expiresAt))) throw new UsageError(`--expires-at must be an RFC 3339 date-time, got '${options.expiresAt}'`);
      const client = connect(options, io);
      try {
        const created = await client.realm(options.realm).tokens.create({ name: options.name, scopes, ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }) });
        io.out(
          options.json
            ? `${JSON.stringify(created, null, 2)}\n`
            : `${created.token}\n\ncreated token ${created.id} (${created.scopes.join(',')}) in realm ${options.realm}; the secret above is shown only this once\n`,
        );
      } finally {
        await client.close();
      }
    });

  withConnection(
    token
      .command('list')
      .description("list a realm's tokens (never their secrets)")
      .requiredOption('--realm <realm>', 'the realm')
      .option('--json', 'print the list as JSON'),
  )
    .addHelpText('after', '\nExamples:\n  $ realmgate token list --realm shop\n  $ realmgate token list --realm shop --json')
    .action(async (options: TokenOptions) => {
      const client = connect(options, io);
      try {
        const tokens = await client.realm(options.realm).tokens.list();
        io.out(options.json ? `${JSON.stringify(tokens, null, 2)}\n` : tokens.length === 0 ? `no tokens in realm ${options.realm}\n` : `${tokens.map(row).join('\n')}\n`);
      } finally {
        await client.close();
      }
    });

  withConnection(
    token
      .command('revoke')
      .description('revoke a token: refused from now on, on every sidecar')
      .argument('<id>', 'the token id (from create or list)')
      .requiredOption('--realm <realm>', 'the realm')
      .option('--json', 'print the answer as JSON'),
  )
    .addHelpText('after', '\nExamples:\n  $ realmgate token revoke 6f0c2a5e-... --realm shop')
    .action(async (id: string, options: TokenOptions) => {
      const client = connect(options, io);
      try {
        const written = await client.realm(options.realm).tokens.revoke(id);
        io.out(options.json ? `${JSON.stringify({ id, ...written }, null, 2)}\n` : `revoked token ${id} in realm ${options.realm} (revision ${written.revision})\n`);
      } finally {
        await client.close();
      }
    });
}
