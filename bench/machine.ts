import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';

export interface MachineFacts {
  cpuModel: string;
  cpus: number;
  totalMemory: number;
  node: string;
  os: string;
  date: string;
  postgres: string | null;
  /** the commit measured, and whether src/ differed from it */
  code: string;
  packages: Record<string, string>;
}

function osName(): string {
  let pretty = `${os.type()}`;
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? pretty;
  } catch {
    // not Linux, or no os-release: the kernel's name will do
  }
  return `${pretty}, ${os.type()} ${os.release()} ${os.arch()}`;
}

function installedVersion(name: string): string {
  try {
    const file = path.join(PROJECT_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--', 'src', 'policies', 'prisma', 'package.json').split('\n').filter(Boolean).length;
    return `${git('log', '-1', '--format=%h %s')}${changed ? ` (+ ${changed} uncommitted file(s) in src, policies, prisma or package.json)` : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}

const PACKAGES = ['casbin', 'casbin-prisma-adapter', '@prisma/client', '@electric-sql/pglite', 'express', 'express-openapi-validator', 'autocannon'];

export function machineFacts(postgres: string | null): MachineFacts {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    totalMemory: os.totalmem(),
    node: process.version,
    os: osName(),
    date: new Date().toISOString(),
    postgres,
    code: codeVersion(),
    packages: Object.fromEntries(PACKAGES.map((p) => [p, installedVersion(p)])),
  };
}
