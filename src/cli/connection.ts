import fs from 'node:fs';
import { Realmgate } from '@realmgate/client';
import type { Command } from 'commander';
import { UsageError, type CliIo } from './io';

/** The options every command that talks to a sidecar takes. */
export interface ConnectionOptions {
  url?: string;
  socket?: string;
  tokenFile?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:8181';

export const CONNECTION_HELP = `
Connection: --url, else $REALMGATE_URL, else ${DEFAULT_URL}; or --socket for a Unix domain socket.
Token: --token-file, else $REALMGATE_TOKEN.`;

/** Adds --url, --socket and --token-file to a command. */
export function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'the sidecar (default: $REALMGATE_URL, else http://127.0.0.1:8181)')
    .option('--socket <path>', 'reach the sidecar over this Unix domain socket instead of --url')
    .option('--token-file <file>', 'a file holding the bearer token (default: $REALMGATE_TOKEN)');
}

function readToken(options: ConnectionOptions, io: CliIo): string | undefined {
  if (options.tokenFile !== undefined) {
    try {
      return fs.readFileSync(options.tokenFile, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--token-file ${options.tokenFile} cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  return io.env.REALMGATE_TOKEN?.trim() || undefined;
}

/** Where and how to reach the sidecar, from the options and the environment. */
export function connectionSettings(options: ConnectionOptions, io: CliIo): { url?: string; socketPath?: string; token?: string } {
  if (options.url !== undefined && options.socket !== undefined) throw new UsageError('give --url or --socket, not both');
  const token = readToken(options, io);
  if (options.socket !== undefined) return { socketPath: options.socket, token };
  const url = options.url ?? (io.env.REALMGATE_URL?.trim() || DEFAULT_URL);
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`${options.url !== undefined ? '--url' : 'REALMGATE_URL'} must be an http:// or https:// URL, got '${url}'`);
  return { url: url.replace(/\/+$/, ''), token };
}

/** A client of the sidecar the options name. Management calls get a generous deadline: an import's batches are large. */
export function connect(options: ConnectionOptions, io: CliIo): Realmgate {
  return new Realmgate({ ...connectionSettings(options, io), checkTimeoutMs: 30_000, timeoutMs: 600_000, consistency: 'minimize_latency' });
}
