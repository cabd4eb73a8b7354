/**
 * The syslog drain against a real rsyslogd (test/receivers/rsyslog.ts), through the built CLI
 * (`npm run build` first; `npm test` does). Where rsyslog is missing, one loud line and a skip.
 */

import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeSyslogMessage } from '../../src/drains/syslog.js';
import { APPS, cleanEnv, NODE, runCli, startCli } from '../helpers/cli.js';
import { requireComponent } from '../helpers/components.js';
import {
  createTestPki,
  type Rsyslog5424Record,
  type RsyslogHarness,
  type RsyslogOptions,
  rsyslogAvailable,
  startRsyslog,
  type TestPki,
} from '../receivers/rsyslog.js';
import { streamDrainContract } from './contract.js';

const rsyslogPresent = requireComponent(
  'rsyslog',
  rsyslogAvailable(),
  'run .ci/run or apt-get install $(cat .ci/apt-packages.txt)',
);

const AGENT = 'agent-7';
const WORKER = 'worker-3';
const EMIT = `${APPS}/emit.mjs`;
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function env(h: RsyslogHarness, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    SYSLOG_ENDPOINT: `localhost:${h.port}`,
    SYSLOG_CA_FILE: h.caFile,
    FORWARDER_AGENT_ID: AGENT,
    FORWARDER_WORKER_ID: WORKER,
    FORWARDER_BATCH_WAIT: '50ms',
    FORWARDER_FLUSH_TIMEOUT: '10s',
    ...extra,
  });
}

/** The app's lines only (lifecycle events start with "forwarder: "). */
const appRecords = (rs: Rsyslog5424Record[]) => rs.filter((r) => !r.msg.startsWith('forwarder: '));

interface Summary {
  delivered: number;
  retried: number;
  dropped: number;
  reasons: string;
}
function summaryOf(stderr: string): Summary {
  const m = /syslog: delivered (\d+), retried (\d+), dropped (\d+)(?: \(([^)]*)\))?/.exec(stderr);
  if (!m) throw new Error(`no syslog summary on stderr:\n${stderr}`);
  return { delivered: Number(m[1]), retried: Number(m[2]), dropped: Number(m[3]), reasons: m[4] ?? '' };
}

function harnessFor(opts: () => RsyslogOptions) {
  const ref: { h?: RsyslogHarness } = {};
  beforeAll(async () => {
    ref.h = await startRsyslog(opts());
  });
  afterAll(async () => {
    await ref.h?.dispose();
  });
  return () => ref.h!;
}

describe.runIf(rsyslogPresent)('syslog drain → real rsyslog', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  describe('TLS, valid certificate', () => {
    const rs = harnessFor(() => ({ pki }));
    /** Runs emit.mjs with `args` and returns the new app records once `expected` of them arrived. */
    let seen = 0;
    async function runAndCollect(args: string[], expected: number, extra: Record<string, string> = {}) {
      const h = rs();
      const before = Date.now();
      const res = await runCli(['run', '--', NODE, EMIT, ...args], { env: env(h, extra) });
      const after = Date.now();
      expect(res.code).toBe(0);
      const stderr = res.stderr.toString();
      const all = await h.waitForRecords(seen + expected + 2); // + started / exited
      const fresh = all.slice(seen);
      seen = all.length;
      const records = appRecords(fresh);
      expect(records).toHaveLength(expected);
      for (const r of [...records]) {
        expect(r.version).toBe(1);
        expect(r.hostname).toBe(AGENT);
        expect(r.appName).toBe('forwarder');
        expect(r.procid).toBe(WORKER);
        expect(r.msgid).toBe('-');
        expect(r.structuredData).toBe('-');
        expect(r.facility).toBe(1);
        expect(r.timestamp).toMatch(ISO_MS);
        const t = Date.parse(r.timestamp);
        expect(t).toBeGreaterThanOrEqual(before - 5);
        expect(t).toBeLessThanOrEqual(after + 5);
      }
      return { records, stderr, summary: summaryOf(stderr) };
    }

    it('plain lines, UTF-8, quotes and brackets: every field as rsyslog parsed it', async () => {
      const lines = [
        'hello world',
        'grüße, 日本語, emoji 😀 and € signs',
        'quotes "double" \'single\' and [brackets] {braces} \\backslash\\ ]end',
        'ERROR something failed: code=42',
        'WARN disk at 91%',
      ];
      const { records, summary } = await runAndCollect(
        lines.map((l, i) => (i === 3 ? `err:${l}` : `out:${l}`)),
        lines.length,
      );
      expect(summary.dropped).toBe(0);
      const byMsg = new Map(records.map((r) => [r.msg, r]));
      for (const l of lines) expect(byMsg.has(l), l).toBe(true);
      expect(byMsg.get('hello world')!.pri).toBe(14); // user.info
      expect(byMsg.get('hello world')!.severity).toBe(6);
      expect(byMsg.get(lines[3]!)!.pri).toBe(11); // user.err
      expect(byMsg.get(lines[4]!)!.pri).toBe(12); // user.warning
      // rawmsg is exactly what we sent (no BOM, RFC 5424 header)
      const raw = byMsg.get('hello world')!.rawmsg;
      expect(raw).toMatch(
        /^<14>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z agent-7 forwarder worker-3 - - hello world$/,
      );
      console.info(`syslog: one message as rsyslog received it (rawmsg): ${raw}`);
    });

    it('a very long line arrives whole; one over 100,000 bytes is cut with a visible marker', async () => {
      const h = rs();
      const res = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, '1', '99000'], { env: env(h) });
      expect(res.code).toBe(0);
      const res2 = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, '1', '180000'], { env: env(h) });
      expect(res2.code).toBe(0);
      expect(summaryOf(res2.stderr.toString()).dropped).toBe(0);
      const all = await h.waitForRecords(seen + 6);
      const [whole, cut] = appRecords(all.slice(seen));
      seen = all.length;
      expect(whole!.msg).toBe(res.stdout.toString().trimEnd());
      expect(whole!.msg.length).toBeGreaterThan(98_000);
      expect(whole!.hostname).toBe(AGENT);
      expect(cut!.msg.startsWith(res2.stdout.toString().slice(0, 1000))).toBe(true);
      expect(cut!.msg).toMatch(/…\[truncated \d+ bytes\]$/);
      expect(Buffer.byteLength(cut!.rawmsg)).toBeLessThanOrEqual(100_000);
      expect(cut!.procid).toBe(WORKER);
    });

    const TRACEBACK = [
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 12, in <module>',
      '    main()',
      '  File "/app/main.py", line 8, in main',
      '    raise ValueError("bad [value] \\"x\\"")',
      'ValueError: bad [value] "x"',
    ];

    it('newline framing: a grouped stack trace is one message, its newlines written as \\n', async () => {
      const { records } = await runAndCollect(
        ['out:before', ...TRACEBACK.map((l) => `err:${l}`), 'out:after'],
        3,
      );
      const trace = records.find((r) => r.msg.startsWith('Traceback'))!;
      expect(trace.msg).toBe(TRACEBACK.join('\\n'));
      expect(trace.severity).toBe(3);
      expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(['before', 'after']));
    });

    it('octet-counting framing: the stack trace keeps its newlines (rsyslog stores them as #012)', async () => {
      const { records } = await runAndCollect(
        ['out:before', ...TRACEBACK.map((l) => `err:${l}`), 'out:ünïcode after'],
        3,
        { SYSLOG_FRAMING: 'octet-counting' },
      );
      const trace = records.find((r) => r.msg.startsWith('Traceback'))!;
      expect(trace.msg).toBe(TRACEBACK.join('#012'));
      expect(trace.pri).toBe(11);
      expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(['before', 'ünïcode after']));
    });

    it('control bytes 0x00-0x1F and 0x7F never reach MSG raw: escaped as \\r, \\n, \\xHH; TAB kept (issue 13 item 15)', async () => {
      const h = rs();
      // One line with every C0 byte but LF (which ends it), DEL, then a CR-split record (newline framing's LF rule).
      const script = [
        'import sys',
        "ctl = bytes(b for b in range(32) if b not in (10, 27)) + b'\\x7f'",
        "sys.stdout.buffer.write(b'ctl:' + ctl + b':end\\n' + b'cr:a\\rb\\n')",
      ].join('\n');
      const res = await runCli(['run', '--', 'python3', '-c', script], { env: env(h) });
      expect(res.code).toBe(0);
      const all = await h.waitForRecords(seen + 4);
      const fresh = appRecords(all.slice(seen));
      seen = all.length;
      const escaped = [...Array(32).keys()]
        .filter((b) => b !== 10 && b !== 27)
        .map((b) => (b === 9 ? '#011' : b === 13 ? '\\r' : `\\x${b.toString(16).padStart(2, '0')}`))
        .join('');
      // rsyslog (stock settings) stores the TAB we keep as #011; everything else arrives as we wrote it
      expect(fresh.map((r) => r.msg)).toEqual([`ctl:${escaped}\\x7f:end`, 'cr:a\\rb']);
      for (const r of fresh) expect(r.rawmsg).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
    });

    it('a token is written before <PRI> (rsyslog then misparses the header, so compare rawmsg)', async () => {
      const h = rs();
      const res = await runCli(['run', '--', NODE, EMIT, 'out:with a token'], {
        env: env(h, { SYSLOG_TOKEN: 'tok-s3cret', SYSLOG_FACILITY: '16', SYSLOG_APP_NAME: 'my app/é' }),
      });
      expect(res.code).toBe(0);
      expect(res.stderr.toString()).not.toContain('tok-s3cret');
      const all = await h.waitForRecords(seen + 3);
      const fresh = all.slice(seen);
      seen = all.length;
      const r = fresh.find((x) => x.rawmsg.endsWith(' with a token'))!;
      expect(r.rawmsg).toMatch(
        /^tok-s3cret <134>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z agent-7 my_app\/_ worker-3 - - with a token$/,
      );
      expect(r.hostname).toBe('tok-s3cret'); // rsyslog reads it as RFC 3164
    });

    it('forwarder check: accepted', async () => {
      const res = await runCli(['check'], { env: env(rs()) });
      expect(res.stdout.toString()).toMatch(/syslog\s+localhost:\d+\s+accepted/);
      expect(res.code).toBe(0);
      seen = (await rs().waitForRecords(seen + 1)).length;
    });
  });

  describe('rsyslog restarted mid-stream', () => {
    const rs = harnessFor(() => ({ pki }));
    it('every line is received or counted in the summary', async () => {
      const h = rs();
      const app = `let i=0;const t=setInterval(()=>{for(let k=0;k<20;k++)process.stdout.write('restart-line seq='+(++i)+'\\n')},2);process.on('SIGTERM',()=>{clearInterval(t);process.stdout.write('emitted='+i+'\\n');process.exit(0)})`;
      const cli = startCli(['run', '--', NODE, '-e', app], {
        env: env(h, { FORWARDER_FLUSH_TIMEOUT: '20s' }),
      });
      let stderr = '';
      const retrying = new Promise<void>((resolve) =>
        cli.child.stderr!.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (stderr.includes('drain syslog will retry')) resolve();
        }),
      );
      await h.waitForRecords(300);
      // Down long enough for the forwarder to notice (a refused connection), then up again.
      await h.stop();
      await retrying;
      await h.restart();
      const after = (await h.records()).length;
      await h.waitForRecords(after + 300);
      cli.child.kill('SIGTERM');
      const res = await cli.result;
      expect(res.code).toBe(0);
      const emitted = Number(/emitted=(\d+)/.exec(res.stdout.toString())![1]);
      const summary = summaryOf(res.stderr.toString());
      const seqs = new Set<number>();
      const collect = (rs: Rsyslog5424Record[]) => {
        for (const r of rs) {
          const m = /^restart-line seq=(\d+)$/.exec(r.msg);
          if (m) seqs.add(Number(m[1]));
        }
        return seqs.size;
      };
      // All lines the forwarder did not count as dropped must arrive (duplicates allowed).
      let records = await h.records();
      if (collect(records) + summary.dropped < emitted) {
        records = await h
          .waitForRecords(records.length + (emitted - summary.dropped - seqs.size), 15_000)
          .catch(() => h.records());
        collect(records);
      }
      const missing: number[] = [];
      for (let i = 1; i <= emitted; i++) if (!seqs.has(i)) missing.push(i);
      expect(summary.retried).toBeGreaterThan(0);
      const ranges: string[] = [];
      for (let i = 0; i < missing.length; i++) {
        let j = i;
        while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
        ranges.push(`${missing[i]}-${missing[j]}`);
        i = j;
      }
      console.info(`missing ranges: ${ranges.join(' ')}`);
      if (missing.length)
        console.info(
          res.stderr
            .toString()
            .split('\n')
            .filter((l) => l.includes('DBG'))
            .join('\n'),
          await h.logs(),
        );
      expect(
        missing.length,
        `missing ${missing.slice(0, 20).join(',')}; ${res.stderr.toString()}`,
      ).toBeLessThanOrEqual(summary.dropped);
      console.info(
        `syslog restart: emitted ${emitted}, received ${seqs.size} distinct (${records.length} records), summary: ${JSON.stringify(summary)}`,
      );
    });
  });

  describe('plain TCP (tcp://), asked for explicitly', () => {
    const rs = harnessFor(() => ({ pki, transport: 'tcp' }));
    it('delivers and warns once at start', async () => {
      const h = rs();
      const res = await runCli(['run', '--', NODE, EMIT, 'out:over plain tcp'], {
        env: env(h, { SYSLOG_ENDPOINT: `tcp://127.0.0.1:${h.port}`, SYSLOG_CA_FILE: '' }),
      });
      expect(res.code).toBe(0);
      const stderr = res.stderr.toString();
      expect(stderr.match(/plain TCP \(SYSLOG_ENDPOINT=tcp:\/\/…\)/g)).toHaveLength(1);
      const r = appRecords(await h.waitForRecords(3)).find((x) => x.msg === 'over plain tcp')!;
      expect(r.pri).toBe(14);
      expect(r.hostname).toBe(AGENT);
    });
  });

  describe('client certificate (x509/certvalid)', () => {
    const rs = harnessFor(() => ({ pki, clientAuth: 'certvalid' }));
    it('delivers with SYSLOG_CERT_FILE / SYSLOG_KEY_FILE', async () => {
      const h = rs();
      const res = await runCli(['run', '--', NODE, EMIT, 'out:with a client cert'], {
        env: env(h, { SYSLOG_CERT_FILE: pki.clientCertFile, SYSLOG_KEY_FILE: pki.clientKeyFile }),
      });
      expect(res.code).toBe(0);
      expect(summaryOf(res.stderr.toString()).dropped).toBe(0);
      expect(appRecords(await h.waitForRecords(3)).map((r) => r.msg)).toContain('with a client cert');
    });
  });

  const refusals: [string, () => RsyslogOptions, Record<string, string>, RegExp, RegExp][] = [
    ['unknown CA', () => ({ pki }), { CA: 'other' }, /unknown CA/, /SYSLOG_CA_FILE/],
    ['TLS 1.1-only server', () => ({ pki, tls11Only: true }), {}, /TLS 1\.2 or higher/, /TLS 1\.2 or 1\.3/],
    [
      'wrong host name',
      () => ({ pki, serverCert: 'wrong-host' }),
      {},
      /not issued for the host name/,
      /subjectAltName/,
    ],
    ['expired certificate', () => ({ pki, serverCert: 'expired' }), {}, /certificate has expired/, /renewed/],
  ];
  for (const [name, opts, extra, problem, hint] of refusals) {
    describe(`refused: ${name}`, () => {
      const rs = harnessFor(opts);
      const envFor = (h: RsyslogHarness) =>
        env(h, extra.CA === 'other' ? { SYSLOG_CA_FILE: pki.otherCaFile } : {});
      it('run: nothing delivered, the batch dropped and counted under tls, one clear error line', async () => {
        const h = rs();
        const res = await runCli(['run', '--', NODE, EMIT, 'out:one', 'out:two'], { env: envFor(h) });
        expect(res.code).toBe(0);
        const stderr = res.stderr.toString();
        const summary = summaryOf(stderr);
        expect(summary.delivered).toBe(0);
        expect(summary.dropped).toBeGreaterThanOrEqual(2);
        expect(summary.reasons).toMatch(/^tls \d+$/);
        const line = stderr.split('\n').find((l) => l.includes('drain syslog rejected'))!;
        expect(line).toMatch(problem);
        expect(line).toMatch(hint);
        expect(await h.records()).toHaveLength(0);
      });
      it('check: reports the handshake failure precisely', async () => {
        const res = await runCli(['check'], { env: envFor(rs()) });
        expect(res.code).toBe(1);
        const out = res.stdout.toString();
        expect(out).toMatch(/syslog\s+localhost:\d+\s+reject: \S+/);
        expect(out).toMatch(problem);
        expect(out).toMatch(hint);
        console.info(`check (${name}): ${out.split('\n')[1]}`);
      });
    });
  }
});

describe('syslog MSG escaping (issue 13 item 15)', () => {
  it('newline framing escapes LF; octet-counting keeps it; both escape CR, NUL, other C0 and DEL, and keep TAB', () => {
    const text = 'a\nb\rc\u0000d\te\u001ff\u007fg';
    expect(escapeSyslogMessage(text, 'newline')).toBe('a\\nb\\rc\\x00d\te\\x1ff\\x7fg');
    expect(escapeSyslogMessage(text, 'octet-counting')).toBe('a\nb\\rc\\x00d\te\\x1ff\\x7fg');
    const clean = 'plain ünïcode € 😀';
    expect(escapeSyslogMessage(clean, 'newline')).toBe(clean);
  });
});

describe('forwarder check: a syslog receiver that closes the connection after the first frame (issue 13 item 16)', () => {
  /** An RFC 5425 receiver in miniature: a frame must start with its length, else the connection is closed. */
  async function octetCountingOnly(): Promise<{ port: number; frames: string[]; close(): Promise<void> }> {
    const frames: string[] = [];
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('data', (data) => {
        const text = data.toString();
        if (!/^[1-9]\d* </.test(text)) socket.destroy();
        else frames.push(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as AddressInfo).port,
      frames,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  }

  it('newline framing is reported with the fix; octet-counting is accepted', async () => {
    const rx = await octetCountingOnly();
    try {
      const env = (framing: string) =>
        cleanEnv({ SYSLOG_ENDPOINT: `tcp://127.0.0.1:${rx.port}`, SYSLOG_FRAMING: framing });
      const refused = await runCli(['check'], { env: env('newline') });
      expect(refused.code).toBe(1);
      expect(refused.stdout.toString()).toMatch(
        /syslog +tcp:\/\/127\.0\.0\.1:\d+ +retry: EPEERCLOSED +\d+ ms +EPEERCLOSED: the receiver closed the connection right after our first message; an RFC 5425 receiver \(syslog-ng syslog\(\), …\) drops newline-framed messages: set SYSLOG_FRAMING=octet-counting\n/,
      );
      const accepted = await runCli(['check'], { env: env('octet-counting') });
      expect(accepted.code).toBe(0);
      expect(accepted.stdout.toString()).toMatch(/syslog +tcp:\/\/127\.0\.0\.1:\d+ +accepted \(written\)/);
      expect(rx.frames).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });
});

describe.runIf(rsyslogPresent)('syslog → real rsyslog: the drain contract', () => {
  let pki: TestPki;
  let h: RsyslogHarness;
  beforeAll(async () => {
    pki = await createTestPki();
    h = await startRsyslog({ pki });
  });
  afterAll(async () => {
    await h?.dispose();
  });
  const tlsEnv = (caFile: string) => ({ SYSLOG_ENDPOINT: `localhost:${h.port}`, SYSLOG_CA_FILE: caFile });

  streamDrainContract<Rsyslog5424Record>({
    id: 'syslog',
    // one rsyslogd for the suite; each item sees only what arrived after it began
    async open() {
      const base = (await h.records()).length;
      return {
        env: tlsEnv(h.caFile),
        records: async (n) => (await h.waitForRecords(base + n)).slice(base),
        stop: () => h.stop(),
        resume: () => h.restart(),
        close: async () => undefined,
      };
    },
    message: (r) => r.msg,
    isLifecycle: (r) => r.msg.startsWith('forwarder: '),
    maxRecordBytes: 100_000,
    refused: {
      env: () => tlsEnv(pki.otherCaFile),
      hint: /set SYSLOG_CA_FILE \(or NODE_EXTRA_CA_CERTS\) to the CA that signed the receiver certificate/,
    },
    // plain TCP to a peer that accepts and never reads: writes block once the socket buffers fill
    async hanging() {
      const sockets = new Set<Socket>();
      const server = createServer((sock) => {
        sock.pause();
        sockets.add(sock);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      return {
        env: { SYSLOG_ENDPOINT: `tcp://127.0.0.1:${port}` },
        close: async () => {
          for (const sock of sockets) sock.destroy();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
    notApplicable: {
      rate_limit_wait:
        'syslog over TCP has no rate-limit answer, only back-pressure (flush_deadline runs into it)',
      final_rejection:
        'a syslog stream gives no per-batch answer: the server can refuse the connection (refused_credentials), never a batch',
      split_too_large:
        'a syslog stream has no "too large" answer: a record over the limit is cut (truncate_oversized)',
    },
  });
});
