import type http from 'node:http';
import { call, sleep } from './http';

export interface Target {
  port: number;
  agent: http.Agent;
}

export interface Probe {
  realm: string;
  token: string;
  /** the sidecar written through */
  writer: Target;
  /** the sidecar asked */
  reader: Target;
  pollIntervalMs: number;
  timeoutMs: number;
}

/** What one sample saw; times in milliseconds. */
export interface PollSample {
  /** request to answer of the write through the writer */
  writeMs: number;
  /** write start to the first allowed answer from the reader */
  fromWriteStart: number;
  /** write answer to the first allowed answer from the reader */
  fromWriteAnswer: number;
  polls: number;
  timedOut: boolean;
}

export interface AtLeastSample {
  writeMs: number;
  /** request to answer of the one check with atLeast */
  checkMs: number;
  fromWriteStart: number;
  /** the check answered 200 allowed (not 503 stale, not a deny) */
  ok: boolean;
  status: number;
}

async function write(probe: Probe, user: string, tag: string): Promise<{ revision: number; began: number; answered: number }> {
  const path = `/v1/realms/${probe.realm}/users/${user}/memberships/eng`;
  const began = performance.now();
  // a write may queue for long behind a load the fleet cannot keep up with: that is measured, not an error
  const answer = await call(probe.writer.agent, probe.writer.port, 'PUT', path, { permissions: [tag] }, probe.token, 120_000);
  const answered = performance.now();
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`write answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { revision: answer.body.revision as number, began, answered };
}

function check(probe: Probe, user: string, tag: string, atLeast?: number) {
  const body = { realm: probe.realm, subject: user, org: 'eng', permission: tag, ...(atLeast === undefined ? {} : { atLeast }) };
  return call(probe.reader.agent, probe.reader.port, 'POST', '/v1/check', body, undefined, probe.timeoutMs + 5_000);
}

/** (a) write, then poll the reader without atLeast until it allows the new tag. */
export async function pollSample(probe: Probe, user: string, tag: string): Promise<PollSample> {
  const w = await write(probe, user, tag);
  let polls = 0;
  let timedOut = false;
  for (;;) {
    const answer = await check(probe, user, tag);
    polls += 1;
    if (answer.status !== 200) throw new Error(`check answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    if (answer.body.allowed === true) break;
    if (performance.now() - w.answered > probe.timeoutMs) {
      timedOut = true;
      break;
    }
    if (probe.pollIntervalMs > 0) await sleep(probe.pollIntervalMs);
  }
  const visible = performance.now();
  return { writeMs: w.answered - w.began, fromWriteStart: visible - w.began, fromWriteAnswer: visible - w.answered, polls, timedOut };
}

/** (b) write, then one check on the reader with atLeast = the write's revision. */
export async function atLeastSample(probe: Probe, user: string, tag: string): Promise<AtLeastSample> {
  const w = await write(probe, user, tag);
  const answer = await check(probe, user, tag, w.revision);
  const answered = performance.now();
  return {
    writeMs: w.answered - w.began,
    checkMs: answered - w.answered,
    fromWriteStart: answered - w.began,
    ok: answer.status === 200 && answer.body.allowed === true,
    status: answer.status,
  };
}
