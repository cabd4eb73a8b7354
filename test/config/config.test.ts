import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { APPS, appLines, cleanEnv, NODE, readEvents, runCli, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function yamlFile(name: string, text: string): string {
  const path = tmp.file(name);
  writeFileSync(path, text);
  return path;
}

function row(output: string, env: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`${env} `));
  if (!line) throw new Error(`no row for ${env} in:\n${output}`);
  return line;
}

describe('configuration precedence: flags > environment > YAML > defaults', () => {
  it('reports each value with where it came from', async () => {
    const config = yamlFile(
      'p.yaml',
      'agent_id: from-yaml\nworker_id: yaml-worker\nflush_timeout: 3s\nbatch_wait: 250ms\n',
    );
    const env = cleanEnv({ FORWARDER_AGENT_ID: 'from-env', FORWARDER_WORKER_ID: 'env-worker' });
    const res = await runCli(['config', '--config', config, '--agent-id', 'from-flag'], { env });
    expect(res.code).toBe(0);
    const out = res.stdout.toString();
    expect(row(out, 'FORWARDER_AGENT_ID')).toMatch(
      /from-flag\s+flag --agent-id \(wins over FORWARDER_AGENT_ID\)$/,
    );
    expect(row(out, 'FORWARDER_WORKER_ID')).toMatch(/env-worker\s+env FORWARDER_WORKER_ID$/);
    expect(row(out, 'FORWARDER_FLUSH_TIMEOUT')).toMatch(/ 3s\s+.*p\.yaml:3$/);
    expect(row(out, 'FORWARDER_MAX_LINE_BYTES')).toMatch(/ 256KiB\s+default$/);
  });

  it('an environment value is not overridden by a flag the user did not give (regression: --no-multiline default)', async () => {
    const res = await runCli(['config'], {
      env: cleanEnv({ FORWARDER_MULTILINE: '0', FORWARDER_STRICT: 'yes' }),
    });
    expect(row(res.stdout.toString(), 'FORWARDER_MULTILINE')).toMatch(/false\s+env FORWARDER_MULTILINE$/);
    expect(row(res.stdout.toString(), 'FORWARDER_STRICT')).toMatch(/true\s+env FORWARDER_STRICT$/);
    const flagged = await runCli(['config', '--no-multiline'], {
      env: cleanEnv({ FORWARDER_MULTILINE: '1' }),
    });
    expect(row(flagged.stdout.toString(), 'FORWARDER_MULTILINE')).toMatch(
      /false\s+flag --multiline \(wins over FORWARDER_MULTILINE\)$/,
    );
  });

  it('applies the effective values to a run', async () => {
    const out = tmp.file('prec.ndjson');
    const config = yamlFile(
      'run.yaml',
      `agent_id: from-yaml\nfile:\n  path: ${out}\nattributes:\n  team: core\n`,
    );
    const res = await runCli(['run', '--', NODE, `${APPS}/emit.mjs`, 'out:x'], {
      env: cleanEnv({ FORWARDER_CONFIG: config, FORWARDER_WORKER_ID: 'w9' }),
    });
    expect(res.code).toBe(0);
    const [ev] = appLines(readEvents(out));
    expect(ev).toMatchObject({ agent_id: 'from-yaml', worker_id: 'w9', attributes: { team: 'core' } });
  });
});

describe('bad configuration: one clear line naming the cause, no stack trace', () => {
  it('an unknown YAML key names the key and the line, with a suggestion', async () => {
    const config = yamlFile('unknown.yaml', 'agent_id: a\nflush_timout: 3s\n');
    const res = await runCli(['run', '--config', config, '--', 'true'], { env: cleanEnv() });
    expect(res.code).toBe(78);
    expect(res.stderr.toString()).toBe(
      `forwarder: config error: ${config}:2: unknown setting "flush_timout" (did you mean "flush_timeout"?)\n`,
    );
  });

  it('a bad YAML value names the key and the line', async () => {
    const config = yamlFile('bad.yaml', 'agent_id: a\n\nbuffer_bytes: lots\n');
    const res = await runCli(['run', '--config', config, '--', 'true'], { env: cleanEnv() });
    expect(res.code).toBe(78);
    expect(res.stderr.toString()).toMatch(
      /^forwarder: config error: .*bad\.yaml:3: buffer_bytes is not a size: "lots" \(e\.g\. 32MiB/,
    );
  });

  it('a bad environment value names the variable', async () => {
    const res = await runCli(['run', '--', 'true'], { env: cleanEnv({ FORWARDER_FLUSH_TIMEOUT: 'soon' }) });
    expect(res.code).toBe(78);
    expect(res.stderr.toString()).toMatch(
      /^forwarder: config error: FORWARDER_FLUSH_TIMEOUT is not a duration: "soon"/,
    );
    expect(res.stderr.toString().split('\n')).toHaveLength(2);
  });

  it('broken YAML syntax names the line', async () => {
    const config = yamlFile('syntax.yaml', 'agent_id: a\nfile: [unclosed\n');
    const res = await runCli(['config', '--config', config], { env: cleanEnv() });
    expect(res.code).toBe(78);
    expect(res.stderr.toString()).toMatch(/syntax\.yaml:\d+: not valid YAML/);
  });

  it('a missing config file is named', async () => {
    const res = await runCli(['config'], { env: cleanEnv({ FORWARDER_CONFIG: '/nonexistent/f.yaml' }) });
    expect(res.code).toBe(78);
    expect(res.stderr.toString()).toContain('cannot read the config file /nonexistent/f.yaml (ENOENT)');
  });

  it('an unknown flag is one line', async () => {
    const res = await runCli(['run', '--no-such-flag', '--', 'true'], { env: cleanEnv() });
    expect(res.code).toBe(2);
    expect(res.stderr.toString()).toMatch(/^forwarder: unknown option '--no-such-flag'\n$/);
  });
});

describe('secrets', () => {
  const canary = 'CANARY-secret-9f8e7d6c5b4a';

  it('are masked by `forwarder config`, whatever their source', async () => {
    const secretFile = tmp.file('secret.txt');
    writeFileSync(secretFile, `${canary}\n`);
    const res = await runCli(['config'], {
      env: cleanEnv({
        WEBHOOK_URL: 'http://127.0.0.1:9/hook',
        WEBHOOK_SECRET_FILE: secretFile,
        WEBHOOK_HEADERS: `x-api-key=${canary}`,
      }),
    });
    expect(res.code).toBe(0);
    const out = res.stdout.toString() + res.stderr.toString();
    expect(out).not.toContain(canary);
    expect(row(out, 'WEBHOOK_SECRET')).toMatch(/\*+ \(secret\)\s+env WEBHOOK_SECRET_FILE$/);
    expect(row(out, 'WEBHOOK_HEADERS')).toMatch(/\*+ \(secret\)\s+env WEBHOOK_HEADERS$/);
    expect(out).toContain('drains enabled: webhook');
  });

  it('NAME_FILE supplies the value, minus the trailing newline Kubernetes secrets carry', async () => {
    // The value is proven by a signature the receiver can verify: see test/drains/webhook.test.ts.
    const res = await runCli(['config'], {
      env: cleanEnv({ WEBHOOK_URL: 'http://127.0.0.1:9/', WEBHOOK_SECRET_FILE: '/nonexistent/secret' }),
    });
    expect(res.stderr.toString()).toContain(
      'drain webhook is disabled: WEBHOOK_SECRET_FILE names a file that cannot be read: /nonexistent/secret (ENOENT)',
    );
  });
});

describe('issue 13: `forwarder config` as a person writes it; two sources of one value named', () => {
  it('levels as names, durations and sizes with units (each reads back as the same value)', async () => {
    const res = await runCli(['config'], {
      env: cleanEnv({
        FORWARDER_STDERR_LEVEL: 'warn',
        FORWARDER_REQUEST_TIMEOUT: '2m',
        FORWARDER_BATCH_WAIT: '1500ms',
      }),
    });
    const out = res.stdout.toString();
    expect(row(out, 'FORWARDER_STDOUT_LEVEL')).toMatch(/^FORWARDER_STDOUT_LEVEL +info +default$/);
    expect(row(out, 'FORWARDER_STDERR_LEVEL')).toMatch(/ warn +env FORWARDER_STDERR_LEVEL$/);
    expect(row(out, 'FORWARDER_FLUSH_TIMEOUT')).toMatch(/ 10s +default$/);
    expect(row(out, 'FORWARDER_REQUEST_TIMEOUT')).toMatch(/ 2m +env FORWARDER_REQUEST_TIMEOUT$/);
    expect(row(out, 'FORWARDER_BATCH_WAIT')).toMatch(/ 1500ms +env FORWARDER_BATCH_WAIT$/);
    const tooLarge = await runCli(['config'], { env: cleanEnv({ FORWARDER_BATCH_WAIT: '2m' }) });
    expect(tooLarge.stderr.toString()).toContain('FORWARDER_BATCH_WAIT is too large: 2m (the maximum is 1m)');
    expect(row(out, 'FORWARDER_UNHEALTHY_AFTER')).toMatch(/ 5m +default$/);
    expect(row(out, 'FORWARDER_BUFFER_BYTES')).toMatch(/ 16MiB +default$/);
  });

  it('X and X_FILE both set (or a variable and its alias): `config` and the start-up say which wins', async () => {
    const secretFile = tmp.file('both.txt');
    writeFileSync(secretFile, 'from-the-file-123\n');
    const env = cleanEnv({
      WEBHOOK_URL: 'http://127.0.0.1:9/hook',
      WEBHOOK_SECRET: 'from-the-env-123',
      WEBHOOK_SECRET_FILE: secretFile,
      FORWARDER_FLUSH_TIMEOUT: '0',
    });
    const [config, run] = await Promise.all([
      runCli(['config'], { env }),
      runCli(['run', '--', 'true'], { env }),
    ]);
    expect(row(config.stdout.toString(), 'WEBHOOK_SECRET')).toMatch(
      /\(secret\) +env WEBHOOK_SECRET \(wins over WEBHOOK_SECRET_FILE\)$/,
    );
    expect(run.stderr.toString()).toContain(
      'forwarder: warn: drain webhook: WEBHOOK_SECRET is used; WEBHOOK_SECRET_FILE is also set and ignored\n',
    );
  });

  it('YAML locations have one shape, `file:line: key`, for a bad value as for a bad key', async () => {
    const config = yamlFile('where.yaml', 'agent_id: a\nflush_timeout: soon\n');
    const res = await runCli(['config', '--config', config], { env: cleanEnv() });
    expect(res.stderr.toString()).toContain(`${config}:2: flush_timeout is not a duration: "soon"`);
  });
});
