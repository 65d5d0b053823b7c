import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flockSync } from 'fs-ext';

/** Another live process holds the data folder; the message is the one line an operator needs. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder ? `pid ${holder.pid} on host ${holder.host} (since ${holder.since})` : 'another process';
    super(`data folder ${dataDir} is in use by ${who}; one process owns a data folder`);
    this.name = 'DataDirLockedError';
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export const LOCK_FILE = 'realmgate.lock';

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof holder.pid === 'number' && typeof holder.host === 'string') {
      return { pid: holder.pid, host: holder.host, since: String(holder.since ?? 'unknown') };
    }
  } catch {
    // written by a holder that is still starting, or not at all: said as "another process"
  }
  return undefined;
}

/**
 * Takes an exclusive lock on `<dataDir>/realmgate.lock` with flock(2), held for as long as this
 * process keeps the descriptor open. The kernel releases it when the process dies, however it dies
 * (kill -9 included), so there is no stale lock to judge: a PID in the file is only information
 * for the operator, never the proof of ownership, which is why a restarted container that gets the
 * same PID as the dead one (PID 1) takes over at once, and of two processes starting together the
 * kernel lets exactly one win. A flock is per open file description, so a second open in the same
 * process is refused too.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCK_FILE);
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    flockSync(fd, 'exnb');
  } catch (err) {
    fs.closeSync(fd);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') throw new DataDirLockedError(dir, readHolder(file));
    throw err;
  }
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, `${JSON.stringify(holder)}\n`, 0);
  fs.fsyncSync(fd);
  let held = true;
  return {
    file,
    release: () => {
      if (!held) return;
      held = false;
      // the file stays: removing it would let a process that opened it before the removal lock an orphan
      flockSync(fd, 'un');
      fs.closeSync(fd);
    },
  };
}
