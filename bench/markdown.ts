import { fixed, int } from './stats';

/** Markdown tables and the units the report writes numbers in. */

export type Row = (string | number)[];

export function table(head: string[], rows: Row[]): string {
  const line = (cells: Row) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export const ms = (n: number) => `${int(n)} ms`;
export const pct = (n: number) => `${fixed(n * 100, 1)}%`;
export const ratio = (n: number) => `${fixed(n, n >= 100 ? 0 : 2)}x`;
export const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');
