import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../helpers/components.js';
import {
  createTestPki,
  type RsyslogHarness,
  type RsyslogOptions,
  rsyslogAvailable,
  startRsyslog,
  type TestPki,
} from './rsyslog.js';

const rsyslogPresent = requireComponent(
  'rsyslog',
  rsyslogAvailable(),
  'run .ci/run or apt-get install $(cat .ci/apt-packages.txt)',
);

const BOM = '\uFEFF';

/** Octet-counting frame (RFC 5425 / RFC 6587 3.4.1): byte length, space, message. */
function octet(msg: string): string {
  return `${Buffer.byteLength(msg, 'utf8')} ${msg}`;
}

/** Resolve once the TLS handshake is done (rejects with the handshake error). */
function connectTls(opts: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tls.connect(opts);
    s.once('secureConnect', () => {
      s.removeListener('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Write, half-close, and wait until the server has closed too (so rsyslog has read everything). */
function sendAndClose(s: net.Socket, payload: string): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.once('close', () => resolve());
    s.resume();
    s.end(payload, 'utf8');
  });
}

async function sendTls(
  h: RsyslogHarness,
  payload: string,
  extra: tls.ConnectionOptions = {},
): Promise<string> {
  const s = await connectTls({ host: h.host, port: h.port, servername: 'localhost', ca: h.caPem, ...extra });
  const protocol = s.getProtocol() ?? '';
  await sendAndClose(s, payload);
  return protocol;
}

function harnessFor(opts: RsyslogOptions) {
  const ref: { h?: RsyslogHarness } = {};
  beforeAll(async () => {
    ref.h = await startRsyslog(opts);
  });
  afterAll(async () => {
    await ref.h?.dispose();
  });
  return () => {
    if (!ref.h) throw new Error('rsyslog harness did not start');
    return ref.h;
  };
}

describe.runIf(rsyslogPresent)('rsyslog harness (real rsyslogd, imtcp + TLS)', () => {
  describe('TLS server with a valid certificate', () => {
    const rs = harnessFor({});

    it('receives RFC 5424 messages under newline and octet-counting framing, fields parsed', async () => {
      const h = rs();
      const sd = '[exampleSDID@32473 iut="3" eventSource="App \\"x\\" \\]y"]';
      const m1 = `<11>1 2026-11-21T08:41:00.123Z pod-abc my-agent 42 - ${sd} ${BOM}failed "quoted" [brackets] {json} \\path ü€😀`;
      const m2 = '<14>1 2026-11-21T08:41:01.000001Z pod-abc my-agent W_9 ID47 - plain ascii line';
      const m3 = `<15>1 2026-11-21T08:41:02.5+02:00 pod-abc my-agent 42 - - ${BOM}stack: Error\n    at a (x.js:1:2)\n\tat b`;
      const m4 = `<10>1 2026-11-21T08:41:03.999Z h a p - - ${BOM}ünïcödé "q" ]`;
      const protocol = await sendTls(h, `${m1}\n${m2}\n`);
      expect(['TLSv1.2', 'TLSv1.3']).toContain(protocol);
      await sendTls(h, octet(m3) + octet(m4));

      const recs = await h.waitForRecords(4);
      expect(recs).toHaveLength(4);
      expect(recs[0]).toEqual({
        pri: 11,
        facility: 1,
        severity: 3,
        version: 1,
        timestamp: '2026-11-21T08:41:00.123Z',
        hostname: 'pod-abc',
        appName: 'my-agent',
        procid: '42',
        msgid: '-',
        structuredData: sd,
        msg: `${BOM}failed "quoted" [brackets] {json} \\path ü€😀`,
        rawmsg: m1,
      });
      expect(recs[1]).toMatchObject({
        pri: 14,
        facility: 1,
        severity: 6,
        version: 1,
        timestamp: '2026-11-21T08:41:01.000001Z',
        procid: 'W_9',
        msgid: 'ID47',
        structuredData: '-',
        msg: 'plain ascii line',
      });
      // Octet counting keeps a multi-line message as one; rsyslog stores control characters as #ooo.
      expect(recs[2]).toMatchObject({
        pri: 15,
        severity: 7,
        version: 1,
        timestamp: '2026-11-21T08:41:02.5+02:00',
        msg: `${BOM}stack: Error#012    at a (x.js:1:2)#012#011at b`,
      });
      expect(recs[3]).toMatchObject({ pri: 10, severity: 2, hostname: 'h', appName: 'a', procid: 'p' });
      expect(recs[3]?.msg).toBe(`${BOM}ünïcödé "q" ]`);
    });

    it('keeps a 100 kB message whole (maxMessageSize raised from rsyslog’s 8 kB default)', async () => {
      const h = rs();
      const before = (await h.records()).length;
      const body = 'x'.repeat(100_000);
      await sendTls(h, octet(`<14>1 2026-11-21T08:41:04.000Z h a 1 - - ${body}`));
      const recs = await h.waitForRecords(before + 1);
      expect(recs[before]?.msg).toBe(body);
    });

    it('documents how rsyslog parses a leading token and an embedded newline under LF framing', async () => {
      const h = rs();
      const before = (await h.records()).length;
      await sendTls(h, 'tok <14>1 2026-11-21T08:41:05.000Z h a 1 - - with token\n');
      await sendTls(h, '<14>1 2026-11-21T08:41:06.000Z h a 1 - - first\nsecond half\n');
      const recs = (await h.waitForRecords(before + 3)).slice(before);
      // The token is taken as (legacy) hostname, the PRI/version as the tag: raw message intact.
      expect(recs[0]).toMatchObject({
        pri: 13,
        version: 0,
        hostname: 'tok',
        rawmsg: 'tok <14>1 2026-11-21T08:41:05.000Z h a 1 - - with token',
      });
      expect(recs[1]).toMatchObject({ version: 1, msg: 'first' });
      expect(recs[2]).toMatchObject({ version: 0, rawmsg: 'second half' });
    });

    it('restart() comes back on the same port and keeps earlier records', async () => {
      const h = rs();
      const before = (await h.records()).length;
      const port = h.port;
      const pid = h.pid;
      await sendTls(h, '<14>1 2026-11-21T08:42:00.000Z h a 1 - - before restart\n');
      await h.waitForRecords(before + 1);
      await h.restart();
      expect(h.port).toBe(port);
      expect(h.pid).not.toBe(pid);
      await sendTls(h, '<14>1 2026-11-21T08:42:01.000Z h a 1 - - after restart\n');
      const recs = (await h.waitForRecords(before + 2)).slice(before);
      expect(recs.map((r) => r.msg)).toEqual(['before restart', 'after restart']);
    });

    it('a client verifying with an unrelated CA fails certificate verification', async () => {
      const h = rs();
      const err = await connectTls({
        host: h.host,
        port: h.port,
        servername: 'localhost',
        ca: await readFile(h.pki.otherCaFile),
      }).then(
        (s) => {
          s.destroy();
          throw new Error('handshake unexpectedly succeeded');
        },
        (e: NodeJS.ErrnoException) => e,
      );
      // rsyslog's ossl driver sends the CA certificate along with the leaf (OpenSSL builds the chain
      // from its CAFile), so Node reports a self-signed certificate in the chain, not an unknown leaf.
      expect(err.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    });

    it('stop() ends rsyslogd; connections are then refused', async () => {
      const h = rs();
      await h.stop();
      expect(h.pid).toBeUndefined();
      const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
        const s = net.connect({ host: h.host, port: h.port });
        s.once('connect', () => {
          s.destroy();
          resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' }));
        });
        s.once('error', resolve);
      });
      expect(err.code).toBe('ECONNREFUSED');
    });
  });

  describe('TLS 1.1-only server', () => {
    const rs = harnessFor({ tls11Only: true });

    it('a default Node client (min TLS 1.2) refuses it with a protocol error', async () => {
      const h = rs();
      const err = await connectTls({ host: h.host, port: h.port, servername: 'localhost', ca: h.caPem }).then(
        (s) => {
          s.destroy();
          throw new Error(`handshake unexpectedly succeeded (${s.getProtocol()})`);
        },
        (e: NodeJS.ErrnoException) => e,
      );
      // The server rejects the ClientHello (versions 1.2–1.3 offered) with a protocol_version alert.
      expect(err.code).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    });

    it('really serves TLS 1.1 (Node and openssl s_client, both at SECLEVEL=0)', async () => {
      const h = rs();
      const protocol = await sendTls(h, '<14>1 2026-11-21T08:43:00.000Z h a 1 - - over tls 1.1\n', {
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      expect(protocol).toBe('TLSv1.1');
      const [rec] = await h.waitForRecords(1);
      expect(rec?.msg).toBe('over tls 1.1');

      // stdin is /dev/null, so s_client handshakes, prints its summary and quits.
      const out = await new Promise<string>((resolve, reject) => {
        const c = spawn(
          'openssl',
          [
            's_client',
            '-brief',
            '-connect',
            `${h.host}:${h.port}`,
            '-servername',
            'localhost',
            '-CAfile',
            h.caFile,
            '-tls1_1',
            '-cipher',
            'DEFAULT@SECLEVEL=0',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 },
        );
        let text = '';
        c.stdout.on('data', (d) => (text += d));
        c.stderr.on('data', (d) => (text += d));
        c.once('error', reject);
        c.once('close', () => resolve(text));
      });
      expect(out).toMatch(/Protocol version: TLSv1\.1/);
      expect(out).toMatch(/Verification: OK/);
    });
  });

  describe('server certificate problems', () => {
    let pki: TestPki;
    const started: RsyslogHarness[] = [];
    beforeAll(async () => {
      pki = await createTestPki();
    });
    afterAll(async () => {
      await Promise.all(started.map((h) => h.dispose()));
    });
    const start = async (opts: RsyslogOptions) => {
      const h = await startRsyslog({ ...opts, pki });
      started.push(h);
      return h;
    };
    const handshakeError = (h: RsyslogHarness) =>
      connectTls({ host: h.host, port: h.port, servername: 'localhost', ca: h.caPem }).then(
        (s) => {
          s.destroy();
          throw new Error('handshake unexpectedly succeeded');
        },
        (e: NodeJS.ErrnoException) => e,
      );

    it('wrong host name', async () => {
      const h = await start({ serverCert: 'wrong-host' });
      expect((await handshakeError(h)).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    });

    it('expired', async () => {
      const h = await start({ serverCert: 'expired' });
      expect((await handshakeError(h)).code).toBe('CERT_HAS_EXPIRED');
    });
  });

  describe('client certificates (AuthMode x509/certvalid)', () => {
    const rs = harnessFor({ clientAuth: 'certvalid' });

    it('accepts a client certificate signed by the CA and rejects a missing or foreign one', async () => {
      const h = rs();
      const attempts = [
        { name: 'no cert', extra: {}, expected: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' },
        {
          name: 'foreign cert',
          expected: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
          extra: {
            cert: await readFile(h.pki.otherClientCertFile),
            key: await readFile(h.pki.otherClientKeyFile),
          },
        },
      ];
      for (const a of attempts) {
        // Under TLS 1.3 the client finishes its handshake before the server checks the client
        // certificate, so the rejection arrives as an alert on the established connection.
        const outcome = await sendTls(
          h,
          `<14>1 2026-11-21T08:44:00.000Z h a 1 - - ${a.name}\n`,
          a.extra,
        ).then(
          () => 'delivered',
          (e: NodeJS.ErrnoException) => e.code ?? e.message,
        );
        expect(outcome).toBe(a.expected);
      }
      await sendTls(h, '<14>1 2026-11-21T08:44:01.000Z h a 1 - - with client cert\n', {
        cert: h.pki.clientCertPem,
        key: h.pki.clientKeyPem,
      });
      const recs = await h.waitForRecords(1);
      expect(recs.map((r) => r.msg)).toEqual(['with client cert']);
    });
  });

  describe('plain TCP (tcp:// mode)', () => {
    const rs = harnessFor({ transport: 'tcp' });

    it('receives newline- and octet-framed messages without TLS', async () => {
      const h = rs();
      const s = net.connect({ host: h.host, port: h.port });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', resolve);
        s.once('error', reject);
      });
      const m2 = `<13>1 2026-11-21T08:45:01.000Z h a 1 - - ${BOM}two\nlines`;
      await sendAndClose(s, `<14>1 2026-11-21T08:45:00.000Z h a 1 - - plain tcp\n${octet(m2)}`);
      const recs = await h.waitForRecords(2);
      expect(recs.map((r) => [r.pri, r.msg])).toEqual([
        [14, 'plain tcp'],
        [13, `${BOM}two#012lines`],
      ]);
    });
  });
});
