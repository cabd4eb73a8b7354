/**
 * Runs one process and measures it.
 *
 * CPU: the process runs under `bash -c '"$@" & wait; times'`. bash's `times` prints the user and
 * system time of its waited-for children, and the kernel folds every reaped descendant into its
 * parent's, so the second line is exact at exit: the forwarder (all threads) plus the app it ran.
 * The app (started with bench/lib/app-usage.mjs preloaded) reports its own CPU at exit; the
 * forwarder's share is the difference. /proc/<pid>/stat (utime+stime of the forwarder alone) is
 * also sampled, as a cross-check that is at most one poll interval short.
 *
 * Memory: VmHWM (peak resident set, all threads) from /proc/<pid>/status, polled every `pollMs`;
 * a high-water mark, so only growth in the last poll interval before exit can be missed.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

const CLK_TCK = 100;

export interface AppUsage {
  startedAt: number;
  /** when the app first wrote to stdout or stderr */
  firstWriteAt?: number;
  exitedAt: number;
  userUs: number;
  sysUs: number;
  maxRssKb: number;
}

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** epoch ms just before spawn / at close */
  startedAt: number;
  endedAt: number;
  wallMs: number;
  /** bash `times`, children line: the process and every descendant it reaped (seconds) */
  childrenCpuS: number;
  /** last /proc/<pid>/stat utime+stime of the process itself (seconds) */
  sampledCpuS: number;
  /** peak VmHWM seen (kB) */
  peakRssKb: number;
  stderr: string;
  stdout: string;
  pid: number;
}

export interface MeasureOptions {
  env: NodeJS.ProcessEnv;
  /** where the process's stdout goes (default /dev/null, like the baseline) */
  stdout?: 'null' | 'pipe';
  pollMs?: number;
  cwd?: string;
  /** called with the measured pid once known */
  onPid?: (pid: number) => void;
}

function parseTimes(text: string): number {
  // two lines "XmY.YYYs XmY.YYYs": self, then children
  const lines = text.trim().split('\n');
  const children = lines[lines.length - 1] ?? '';
  let total = 0;
  for (const m of children.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(m[1]) * 60 + Number(m[2]);
  return total;
}

function readProc(pid: number): { hwmKb: number; cpuS: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the ")" of comm: state is field 3; utime 14, stime 15
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
    return { hwmKb: hwm ? Number(hwm[1]) : 0, cpuS: cpu };
  } catch {
    return undefined;
  }
}

export function measure(argv: string[], opts: MeasureOptions): Promise<Measured> {
  const devNull = openSync('/dev/null', 'w');
  const script = '"$@" & p=$!; echo "$p" >&3; wait "$p"; rc=$?; times >&3; exit "$rc"';
  const startedAt = Date.now();
  const child = spawn('bash', ['-c', script, 'bash', ...argv], {
    env: opts.env,
    cwd: opts.cwd,
    stdio: ['ignore', opts.stdout === 'pipe' ? 'pipe' : devNull, 'pipe', 'pipe'],
  });
  closeSync(devNull);
  let stderr = '';
  let stdout = '';
  let fd3 = '';
  let pid = 0;
  let peak = 0;
  let cpu = 0;
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const poll = (): void => {
    if (pid === 0) return;
    const p = readProc(pid);
    if (p) {
      peak = Math.max(peak, p.hwmKb);
      cpu = Math.max(cpu, p.cpuS);
    }
  };
  const timer = setInterval(poll, opts.pollMs ?? 20);
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => {
    fd3 += d;
    if (pid === 0 && fd3.includes('\n')) {
      pid = Number(fd3.slice(0, fd3.indexOf('\n')));
      opts.onPid?.(pid);
      poll();
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(timer);
      const endedAt = Date.now();
      resolve({
        code,
        signal,
        startedAt,
        endedAt,
        wallMs: endedAt - startedAt,
        childrenCpuS: parseTimes(fd3.slice(fd3.indexOf('\n') + 1)),
        sampledCpuS: cpu,
        peakRssKb: peak,
        stderr,
        stdout,
        pid,
      });
    });
  });
}

/** Reads (and removes) the usage file the app wrote at exit, if any. */
export function takeAppUsage(file: string): AppUsage | undefined {
  if (!existsSync(file)) return undefined;
  const u = JSON.parse(readFileSync(file, 'utf8')) as AppUsage;
  rmSync(file, { force: true });
  return u;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** nearest-rank percentile, p in 0..100 */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

/** half the spread of the samples, as a ± tolerance */
export function spread(xs: number[]): number {
  if (xs.length < 2) return 0;
  return (Math.max(...xs) - Math.min(...xs)) / 2;
}
