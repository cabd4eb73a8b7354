/**
 * Issue 13 item 12: a URL setting's credentials never appear in our output, whether the URL parses
 * or not (`https://svc:p#ss@host/x` does not: `#` starts the fragment, so `svc:p` is read as the
 * host). Every URL setting (read from the settings table) gets canaries in its user:password and
 * query, in five shapes; every command runs with all of them, in text and in JSON log format.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSettings } from '../../src/settings-catalogue.js';
import { cleanEnv, runCli, startCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../receivers/rsyslog.js';

const unique = (): string => `cnry${randomBytes(5).toString('hex')}`;
const URL_SETTINGS = allSettings()
  .filter((d) => d.type === 'url')
  .map((d) => d.env);

/** How a URL with credentials is written; each needle must never be printed. */
interface Shape {
  name: string;
  parses: boolean;
  make(base: string): { value: string; needles: string[] };
}
const SHAPES: Shape[] = [
  {
    name: '# in the password',
    parses: false,
    make: (base) => {
      const [a, b] = [unique(), unique()];
      return { value: base.replace('://', `://svc:${a}#${b}@`), needles: [a, b] };
    },
  },
  {
    name: '/ in the password',
    parses: false,
    make: (base) => {
      const [a, b] = [unique(), unique()];
      return { value: base.replace('://', `://svc:${a}/${b}@`), needles: [a, b] };
    },
  },
  {
    name: 'a space in the host',
    parses: false,
    make: (base) => {
      const a = unique();
      return { value: base.replace('://', `://svc:${a}@my `), needles: [a] };
    },
  },
  {
    name: 'user:password@ and ?token= (parses)',
    parses: true,
    make: (base) => {
      const [a, b] = [unique(), unique()];
      return { value: `${base.replace('://', `://svc:${a}@`)}/x?token=${b}`, needles: [a, b] };
    },
  },
  {
    name: 'a user-only token, https://TOKEN@host (parses)',
    parses: true,
    make: (base) => {
      const a = unique();
      return { value: `${base.replace('://', `://${a}@`)}/x`, needles: [a] };
    },
  },
  {
    name: '@ in the password (parses)',
    parses: true,
    make: (base) => {
      const [a, b] = [unique(), unique()];
      return { value: `${base.replace('://', `://svc:${a}@${b}@`)}/x`, needles: [a, b] };
    },
  },
];

/** Every drain that has a URL setting, enabled, with that URL in `shape`. */
function envFor(shape: Shape, base: string): { env: Record<string, string>; needles: string[] } {
  const env: Record<string, string> = {
    FORWARDER_REQUEST_TIMEOUT: '1s',
    FORWARDER_FLUSH_TIMEOUT: '1s',
    LOGS_ENABLE_SPLUNK: '1',
    SPLUNK_HEC_TOKEN: 'splunk-token-x',
    DATADOG_TOKEN: 'datadog-key-x',
    NEW_RELIC_LICENSE_KEY: 'nr-license-x',
    AXIOM_TOKEN: 'axiom-token-x',
    AXIOM_DATASET: 'ds',
    AWS_ACCESS_KEY_ID: 'AKIAFORWARDERCANARY0',
    AWS_SECRET_ACCESS_KEY: 'aws-secret-x',
    AWS_REGION: 'eu-west-1',
    CLOUDWATCH_LOG_GROUP: 'group',
  };
  const needles: string[] = [];
  for (const name of URL_SETTINGS) {
    const made = shape.make(base);
    env[name] = made.value;
    needles.push(...made.needles);
  }
  return { env, needles };
}

const COMMANDS: { name: string; args: (file: string) => string[]; input?: string; tail?: boolean }[] = [
  { name: 'run', args: () => ['run', '--', 'sh', '-c', 'echo hello'] },
  {
    name: 'run --log-format json',
    args: () => ['run', '--log-format', 'json', '--', 'sh', '-c', 'echo hello'],
  },
  { name: 'pipe', args: () => ['pipe'], input: 'hello\n' },
  { name: 'tail', args: (file) => ['tail', '--from-beginning', file], tail: true },
  { name: 'config', args: () => ['config'] },
  { name: 'check', args: () => ['check'] },
];

let closedPort: number;
const dir = tempDir('fwd-url-secrets-');
beforeAll(async () => {
  closedPort = await freePort();
  writeFileSync(dir.file('app.log'), 'hello\n');
});
afterAll(() => dir.cleanup());

async function outputOf(command: (typeof COMMANDS)[number], env: NodeJS.ProcessEnv): Promise<string> {
  const args = command.args(dir.file('app.log'));
  if (!command.tail) {
    const res = await runCli(args, { env, ...(command.input ? { input: command.input } : {}) });
    return `${res.stdout.toString()}\n${res.stderr.toString()}`;
  }
  // tail runs until stopped: stop it once every drain has said something (disabled, retrying, rejected).
  const running = startCli(args, { env });
  await running.waitForStderr(/drain \w+ (is disabled|will retry|rejected)/);
  running.child.kill('SIGTERM');
  const res = await running.result;
  return `${res.stdout.toString()}\n${res.stderr.toString()}`;
}

describe('reliability: URL credentials never printed (issue 13 item 12)', () => {
  for (const shape of SHAPES) {
    it(`${shape.name}: ${URL_SETTINGS.join(', ')} × ${COMMANDS.map((c) => c.name).join(', ')}`, async () => {
      const made = envFor(shape, `http://127.0.0.1:${closedPort}`);
      const env = cleanEnv(made.env);
      const outputs = await Promise.all(COMMANDS.map((c) => outputOf(c, env)));
      const leaks: string[] = [];
      COMMANDS.forEach((c, i) => {
        for (const n of made.needles) if (outputs[i]!.includes(n)) leaks.push(`${c.name}: ${n}`);
      });
      if (leaks.length > 0) console.log(outputs.join('\n-----\n'));
      expect(leaks).toEqual([]);
      // the paths were really taken: an unparsable URL is reported by name, a parsable one is used
      const config = outputs[COMMANDS.findIndex((c) => c.name === 'config')]!;
      for (const name of URL_SETTINGS) {
        if (shape.parses) expect(config).toMatch(new RegExp(`${name} +http://\\*\\*\\*\\*(:\\*\\*\\*\\*)?@`));
        else expect(config).toContain(`${name} is not a URL (value hidden: it may hold credentials)`);
      }
    }, 60_000);
  }
});

describe('reliability: SYSLOG_ENDPOINT credentials never printed (host:port, parsed or not)', () => {
  const SYSLOG_SHAPES: { name: string; make(port: number): { value: string; needles: string[] } }[] = [
    { name: 'tcp://user:password@', make: (p) => two((a) => `tcp://svc:${a}@127.0.0.1:${p}`) },
    { name: 'user:password@ without a scheme', make: (p) => two((a) => `svc:${a}@127.0.0.1:${p}`) },
    { name: 'tls://TOKEN@ (user only)', make: (p) => two((a) => `tls://${a}@127.0.0.1:${p}`) },
    { name: '# in the password', make: (p) => two((a, b) => `tls://svc:${a}#${b}@127.0.0.1:${p}`) },
    { name: '/ in the password', make: (p) => two((a, b) => `svc:${a}/${b}@127.0.0.1:${p}`) },
  ];
  function two(make: (a: string, b: string) => string): { value: string; needles: string[] } {
    const [a, b] = [unique(), unique()];
    const value = make(a, b);
    return { value, needles: [a, b].filter((n) => value.includes(n)) };
  }
  for (const shape of SYSLOG_SHAPES) {
    it(`${shape.name} × ${COMMANDS.map((c) => c.name).join(', ')}`, async () => {
      const made = shape.make(closedPort);
      const env = cleanEnv({ FORWARDER_FLUSH_TIMEOUT: '1s', SYSLOG_ENDPOINT: made.value });
      const outputs = await Promise.all(COMMANDS.map((c) => outputOf(c, env)));
      const leaks: string[] = [];
      COMMANDS.forEach((c, i) => {
        for (const n of made.needles) if (outputs[i]!.includes(n)) leaks.push(`${c.name}: ${n}`);
      });
      if (leaks.length > 0) console.log(outputs.join('\n-----\n'));
      expect(leaks).toEqual([]);
      // the setting is shown (masked), and the drain says why it is off
      const config = outputs[COMMANDS.findIndex((c) => c.name === 'config')]!;
      expect(config).toMatch(/SYSLOG_ENDPOINT +\S*(\*\*\*\*|\[secret\])\S*@127\.0\.0\.1/);
      expect(config).toContain('drain syslog disabled: SYSLOG_ENDPOINT is not host:port');
    }, 60_000);
  }
});
