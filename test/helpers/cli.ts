import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');
export const APPS = join(ROOT, 'fixtures/apps');
export const NODE = process.execPath;

/** Variables a test must not inherit from the developer's shell (they would enable real drains). */
/**
 * What the machine running the tests may have set that would change what the forwarder does: a
 * drain's settings, and a pod's identity (a CI runner inside Kubernetes has KUBERNETES_SERVICE_HOST).
 */
const DRAIN_ENV =
  /^(FORWARDER_|WEBHOOK_|DATADOG_|DD_|SPLUNK_|LOGS_ENABLE_SPLUNK|NEW_RELIC_|AXIOM_|SYSLOG_|SENTRY_|AWS_|CLOUDWATCH_|OTEL_|LOKI_|ELASTICSEARCH_|KUBERNETES_|POD_NAME$|POD_NAMESPACE$|NODE_NAME$|CONTAINER_NAME$)/;

export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!DRAIN_ENV.test(k)) env[k] = v;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** What startCli and runCli give: the result, and when the app's output and the process ended. */
export interface TimedCliResult extends CliResult {
  /**
   * epoch ms when the last chunk of the app's output (our stdout) arrived, or when the process
   * was started if it wrote none: how long we took after it (`closedAt - lastStdoutAt`) leaves out
   * our start-up and the app's own run, which a busy machine stretches
   */
  lastStdoutAt: number;
  /** epoch ms when the process had exited and its stdio closed */
  closedAt: number;
}

export interface Running {
  child: ChildProcess;
  result: Promise<TimedCliResult>;
  /** resolves when `text` has appeared on the forwarder's stdout */
  waitForStdout(text: string): Promise<void>;
  /** resolves with the first match of `pattern` on the forwarder's stderr */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
}

/**
 * `fileEnv()` for a test file: each call gives a fresh file-drain path in `dir` and the CLI's env
 * (a clean environment, the file drain, 5 s of flush), plus any extra settings.
 */
export function fileDrainEnvs(dir: { file(name: string): string }) {
  let n = 0;
  return (extra: Record<string, string> = {}): { env: NodeJS.ProcessEnv; path: string } => {
    const path = dir.file(`events-${++n}.ndjson`);
    return { path, env: cleanEnv({ FORWARDER_FILE: path, FORWARDER_FLUSH_TIMEOUT: '5s', ...extra }) };
  };
}
export function startCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: Buffer | string; cwd?: string } = {},
): Running {
  const child = spawn(NODE, [CLI, ...args], {
    env: opts.env ?? cleanEnv(),
    cwd: opts.cwd ?? ROOT,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  let lastStdoutAt = Date.now();
  child.stdout!.on('data', (b: Buffer) => {
    lastStdoutAt = Date.now();
    out.push(b);
    // Joining everything on each chunk is quadratic: only while someone waits for a text.
    if (waiters.length === 0) return;
    const all = Buffer.concat(out).toString();
    for (const w of waiters.splice(0)) {
      if (all.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  });
  const errWaiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  child.stderr!.on('data', (b: Buffer) => {
    err.push(b);
    if (errWaiters.length === 0) return;
    const all = Buffer.concat(err).toString();
    for (const w of errWaiters.splice(0)) {
      const m = w.pattern.exec(all);
      if (m) w.resolve(m);
      else errWaiters.push(w);
    }
  });
  if (opts.input !== undefined) {
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input);
  }
  const result = new Promise<TimedCliResult>((resolve) => {
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        lastStdoutAt,
        closedAt: Date.now(),
      }),
    );
  });
  return {
    child,
    result,
    waitForStderr: (pattern) =>
      new Promise((resolve) => {
        const m = pattern.exec(Buffer.concat(err).toString());
        if (m) resolve(m);
        else errWaiters.push({ pattern, resolve });
      }),
    waitForStdout: (text) =>
      new Promise((resolve) => {
        if (Buffer.concat(out).toString().includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
  };
}

/**
 * A command run to its end, as execFileSync runs it (a non-zero exit rejects, with its output), but
 * without holding this test worker's event loop: a build that a busy machine stretches past a
 * minute would leave vitest's own calls to the worker unanswered for that long, and vitest fails
 * the run for it ("Timeout calling onTaskUpdate") even when every test passed.
 */
export async function execFileAsync(
  file: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const { stdout } = await promisify(execFile)(file, args, {
    ...opts,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export function runCli(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: Buffer | string; cwd?: string } = {},
): Promise<TimedCliResult> {
  return startCli(args, opts).result;
}

export function tempDir(prefix = 'fwd-test-'): { path: string; file(name: string): string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    cleanup: () => rmSync(path, { recursive: true, force: true }),
  };
}

export interface CanonicalEvent {
  timestamp: number;
  message: string;
  level: string;
  stream: string;
  agent_id: string;
  worker_id: string;
  hostname: string;
  seq: number;
  instance: string;
  attributes: Record<string, string>;
  lifecycle?: { kind: string; [k: string]: unknown };
}

export function readEvents(path: string): CanonicalEvent[] {
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as CanonicalEvent);
}

export function appLines(events: CanonicalEvent[]): CanonicalEvent[] {
  return events.filter((e) => e.stream !== 'forwarder');
}

/** Resolves when `predicate(contents)` holds, re-checking on every change of the file (fs.watch on its directory). */
export function waitForFile(
  path: string,
  predicate: (text: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return false;
      }
      if (!predicate(text)) return false;
      cleanup();
      resolve(text);
      return true;
    };
    const watcher = watch(dirname(path), () => check());
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${path}`));
    }, timeoutMs);
    function cleanup(): void {
      watcher.close();
      clearTimeout(timer);
    }
    check();
  });
}

export interface DrainTotals {
  delivered: number;
  retried: number;
  dropped: number;
  reasons: Record<string, number>;
  /** the reasons as printed: `buffer_full 3, http_400 2` */
  reasonsText: string;
  cut: boolean;
}

/** One drain's part of the `forwarder: summary:` line on stderr. */
export function summaryOf(stderr: string, drain: string): DrainTotals {
  const line = stderr.split('\n').find((l) => l.startsWith('forwarder: summary:'));
  if (!line) throw new Error(`no summary line in:\n${stderr.slice(-3000)}`);
  const m = new RegExp(
    `(?:^|; )${drain}: delivered (\\d+), retried (\\d+), dropped (\\d+)(?: \\(([^)]*)\\))?(, cut by the flush deadline)?`,
  ).exec(line.replace(/^forwarder: summary: /, ''));
  if (!m) throw new Error(`no ${drain} in ${line}`);
  const reasons: Record<string, number> = {};
  for (const part of (m[4] ?? '').split(', ').filter(Boolean)) {
    const [reason, n] = part.split(' ');
    reasons[reason!] = Number(n);
  }
  return {
    delivered: Number(m[1]),
    retried: Number(m[2]),
    dropped: Number(m[3]),
    reasons,
    reasonsText: m[4] ?? '',
    cut: m[5] !== undefined,
  };
}
