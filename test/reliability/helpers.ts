/** Shared by the reliability tests: the summary line, line ids, and a /proc peak-RSS sampler. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

export const RELIABILITY_APPS = join(ROOT, 'test/reliability/apps');

export { type DrainTotals, summaryOf } from '../helpers/cli.js';

/** The number fixtures/apps/lines.mjs (and apps/burst-term.mjs) put in every line: `line=000000123`. */
export function lineNo(message: string | undefined): number | undefined {
  if (message === undefined) return undefined;
  const m = /\bline=(\d{9})\b/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Which of 0..n-1 are missing, and how many numbers arrived more than once. */
export function coverage(
  numbers: Iterable<number | undefined>,
  n: number,
): { missing: number[]; duplicates: number } {
  const seen = new Uint8Array(n);
  let duplicates = 0;
  for (const x of numbers) {
    if (x === undefined || x >= n) continue;
    if (seen[x]) duplicates++;
    else seen[x] = 1;
  }
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (!seen[i]) missing.push(i);
  return { missing, duplicates };
}

/** Polls VmHWM (peak resident set, every thread) of a live process; `stop()` returns the peak in MB. */
export function peakRss(pid: number, everyMs = 25): { stop(): number } {
  let peak = 0;
  const read = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // gone
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop: () => {
      read();
      clearInterval(timer);
      return peak / 1024;
    },
  };
}
