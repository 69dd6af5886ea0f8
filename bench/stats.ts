/**
 * Small statistics and reporting helpers for the benchmarks: samples are durations in ms.
 * Goals are judged on medians and on ratios against a baseline measured in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Summary {
  n: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** Rounded to 2 decimals (ms with 10 µs resolution is plenty for these benchmarks). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function sorted(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new Error('no samples');
  return [...samples].sort((a, b) => a - b);
}

/** The p-th percentile (0-100), linearly interpolated between the closest ranks. */
export function percentile(samples: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile out of range: ${p}`);
  const values = sorted(samples);
  const rank = (p / 100) * (values.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = values[low] as number;
  const b = values[high] as number;
  return a + (b - a) * (rank - low);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

export function summarize(samples: readonly number[]): Summary {
  const values = sorted(samples);
  return {
    n: values.length,
    median: round2(median(values)),
    p95: round2(percentile(values, 95)),
    p99: round2(percentile(values, 99)),
    min: round2(values[0] as number),
    max: round2(values[values.length - 1] as number),
  };
}

/** `ours / baseline`, 2 decimals. */
export function ratio(ours: number, baseline: number): number {
  return baseline > 0 ? round2(ours / baseline) : Number.POSITIVE_INFINITY;
}

/** Times one async call in ms. */
export async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function formatCell(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '-';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : cell.toFixed(2);
  return String(cell);
}

/** A plain text table: one column per key seen in the rows, numbers right-aligned. */
export function formatTable(rows: readonly Row[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...cells.map((line) => line[i]?.length ?? 0)),
  );
  const numeric = columns.map((column) => rows.every((row) => typeof (row[column] ?? 0) === 'number'));
  const pad = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  const line = (values: string[]) => `| ${values.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(columns), rule, ...cells.map(line)].join('\n');
}

/**
 * Prints a benchmark's table (and notes: targets, verdicts, settings) to stdout and writes
 * bench/results/<name>.json. Returns the path written.
 */
export function report(name: string, rows: readonly Row[], notes: readonly string[] = []): string {
  const title = `== ${name} ==`;
  const text = [title, formatTable(rows), ...notes.map((note) => `  ${note}`)].join('\n');
  process.stdout.write(`\n${text}\n\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const result = {
    name,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    rows,
    notes,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
