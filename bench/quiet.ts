import fs from 'node:fs';
import os from 'node:os';

/**
 * Other work on the machine (a test suite next door) distorts every number here. Before each
 * measured section the bench waits, bounded, for the CPUs to go quiet, and notes how busy they were.
 */

export interface QuietNote {
  section: string;
  waitedS: number;
  /** share of all CPUs busy over the last second before the section began */
  busy: number;
  loadavg1: number;
}

function cpuTimes(): { busy: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

export async function cpuBusyShare(ms = 1000): Promise<number> {
  if (!fs.existsSync('/proc/stat')) return NaN;
  const a = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}

export async function waitForQuiet(section: string, maxWaitS: number, threshold = 0.15): Promise<QuietNote> {
  const started = performance.now();
  let busy = await cpuBusyShare();
  while (busy > threshold && performance.now() - started < maxWaitS * 1000) busy = await cpuBusyShare();
  return { section, waitedS: (performance.now() - started) / 1000, busy, loadavg1: os.loadavg()[0] };
}
