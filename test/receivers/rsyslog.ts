/**
 * Real-rsyslog test harness for the syslog drain.
 *
 * - `createTestPki()` makes a throwaway PKI with the `openssl` CLI: a CA, server certificates for
 *   `localhost` / 127.0.0.1 (plus a wrong-host-name and an expired variant), a client certificate
 *   signed by the CA, and a second, unrelated CA (and a client certificate it signed) for
 *   "unknown CA" tests.
 * - `startRsyslog()` writes a self-contained rsyslog config (own work directory, pid file, no system
 *   config, no imuxsock/imklog, loopback only, unprivileged port) with imtcp over TLS (the `ossl`
 *   driver, i.e. OpenSSL) or plain TCP, and a template that writes every received message's parsed
 *   RFC 5424 fields as one JSON object per line. It starts `rsyslogd -n` as a child process and waits
 *   until the port accepts connections.
 *
 * Every rsyslogd started here is SIGKILLed when the test process exits, even if a test forgot to
 * call `stop()`/`dispose()`. Nothing here needs root: ports are > 1024 and all files are private.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, type FSWatcher, readdirSync, rmSync, watch } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One message as rsyslog parsed it (field names are ours; values are rsyslog's properties). */
export interface Rsyslog5424Record {
  /** `pri` property, e.g. 11 for `<11>`. */
  pri: number;
  /** `syslogfacility` (numeric). */
  facility: number;
  /** `syslogseverity` (numeric). */
  severity: number;
  /** `protocol-version`: 1 for RFC 5424, 0 for anything rsyslog parsed as legacy (RFC 3164). */
  version: number;
  /** `timereported` in RFC 3339 with fraction, as rsyslog re-renders it (a `Z` stays `Z`). */
  timestamp: string;
  hostname: string;
  /** `app-name` */
  appName: string;
  procid: string;
  msgid: string;
  /** `structured-data`, verbatim (`-` when NILVALUE). */
  structuredData: string;
  /** `msg`: the MSG part; a BOM is kept; control characters are stored as `#ooo` (octal) by default. */
  msg: string;
  /** `rawmsg`: the whole frame as received (without the octet count / LF terminator). */
  rawmsg: string;
}

// ---------------------------------------------------------------------------------------------
// availability

const RSYSLOGD_CANDIDATES = ['/usr/sbin/rsyslogd', '/sbin/rsyslogd', '/usr/local/sbin/rsyslogd'];

function findOnPath(name: string, extra: string[] = []): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const d of dirs) {
    const p = path.join(d, name);
    if (existsSync(p)) return p;
  }
  return extra.find((p) => existsSync(p));
}

function rsyslogModuleDirs(): string[] {
  const dirs = ['/usr/lib/rsyslog', '/usr/lib64/rsyslog', '/usr/local/lib/rsyslog'];
  try {
    for (const e of readdirSync('/usr/lib')) {
      if (e.includes('-linux-')) dirs.push(path.join('/usr/lib', e, 'rsyslog'));
    }
  } catch {
    // no /usr/lib: nothing to add
  }
  return dirs;
}

export interface RsyslogAvailability {
  ok: boolean;
  why: string;
  rsyslogd?: string;
  version?: string;
}

let availabilityCache: RsyslogAvailability | undefined;

/** Whether rsyslogd, its OpenSSL netstream driver (`lmnsd_ossl.so`) and the openssl CLI exist. */
export function rsyslogAvailable(): RsyslogAvailability {
  if (availabilityCache) return availabilityCache;
  const compute = (): RsyslogAvailability => {
    const rsyslogd = findOnPath('rsyslogd', RSYSLOGD_CANDIDATES);
    if (!rsyslogd) return { ok: false, why: 'rsyslogd not found (PATH, /usr/sbin, /sbin)' };
    const moduleDirs = rsyslogModuleDirs();
    if (!moduleDirs.some((d) => existsSync(path.join(d, 'imtcp.so')))) {
      return { ok: false, why: `imtcp.so not found in ${moduleDirs.join(', ')}`, rsyslogd };
    }
    if (!moduleDirs.some((d) => existsSync(path.join(d, 'lmnsd_ossl.so')))) {
      return {
        ok: false,
        why: 'rsyslog TLS driver lmnsd_ossl.so not found (package rsyslog-openssl)',
        rsyslogd,
      };
    }
    if (!findOnPath('openssl', ['/usr/bin/openssl']))
      return { ok: false, why: 'openssl CLI not found', rsyslogd };
    let version = '';
    try {
      const out = execFileSync(rsyslogd, ['-v'], { encoding: 'utf8', timeout: 10_000 });
      version = /rsyslogd\s+(\S+)/.exec(out)?.[1] ?? '';
    } catch (err) {
      return { ok: false, why: `rsyslogd -v failed: ${(err as Error).message}`, rsyslogd };
    }
    return { ok: true, why: `rsyslogd ${version} with ossl driver`, rsyslogd, version };
  };
  availabilityCache = compute();
  return availabilityCache;
}

/** The one loud line tests print when they skip. */
// ---------------------------------------------------------------------------------------------
// PKI

export interface TestPki {
  dir: string;
  /** The CA that signed the server and client certificates. */
  caFile: string;
  caKeyFile: string;
  caPem: string;
  /** Server certificate for CN `localhost`, SAN DNS:localhost + IP:127.0.0.1 (+ IP:::1). */
  serverCertFile: string;
  serverKeyFile: string;
  /** Same key, signed by the CA, but for CN/SAN `wrong.host.invalid` only. */
  wrongHostCertFile: string;
  /** Same key and names as the server certificate, signed by the CA, valid 2020-01-01..2020-01-02. */
  expiredCertFile: string;
  /** Client certificate (CN `forwarder-test-client`, clientAuth) signed by the CA. */
  clientCertFile: string;
  clientKeyFile: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** A second, unrelated CA: verifying the server with it must fail. */
  otherCaFile: string;
  otherCaPem: string;
  /** A client certificate signed by the unrelated CA (rejected by `clientAuth: 'certvalid'`). */
  otherClientCertFile: string;
  otherClientKeyFile: string;
}

export interface PkiOptions {
  /** Key algorithm; EC P-256 is fast to generate. Both work with TLS 1.1 at SECLEVEL=0 too. */
  keyType?: 'ec' | 'rsa';
  /** Directory to write into (created if missing); default a fresh mkdtemp directory. */
  dir?: string;
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd, timeout: 30_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

/** `a b c` -> ['a', 'b', 'c'] (for openssl argument lists without spaces in any argument). */
const words = (s: string) => s.trim().split(/\s+/);

const EXT = {
  server: 'CA:FALSE serverAuth DNS:localhost,IP:127.0.0.1,IP:::1',
  'wrong-host': 'CA:FALSE serverAuth DNS:wrong.host.invalid',
  client: 'CA:FALSE clientAuth',
} as const;

function extFile(spec: string): string {
  const [bc, eku, san] = words(spec);
  return [
    `basicConstraints=critical,${bc}`,
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${eku}`,
    ...(san ? [`subjectAltName=${san}`] : []),
    '',
  ].join('\n');
}

export async function createTestPki(opts: PkiOptions = {}): Promise<TestPki> {
  let dir = opts.dir;
  if (!dir) {
    // Removed when the process exits (unless RSYSLOG_KEEP=1).
    dir = await mkdtemp(path.join(tmpdir(), 'fwd-pki-'));
    installExitHook();
    tempDirs.add(dir);
  }
  await mkdir(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  const key =
    opts.keyType === 'rsa' ? '-newkey rsa:2048' : '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1';

  for (const [name, spec] of Object.entries(EXT)) await writeFile(f(`${name}.ext`), extFile(spec));
  // `openssl ca` is the OpenSSL 3.0 way to set explicit (past) validity dates for the expired cert.
  await writeFile(f('index.txt'), '');
  await writeFile(f('ca.serial'), '1000\n');
  await writeFile(
    f('ca.cnf'),
    [
      '[ ca ]',
      'default_ca = CA_default',
      '[ CA_default ]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir',
      'serial = $dir/ca.serial',
      'default_md = sha256',
      'policy = policy_any',
      'unique_subject = no',
      'email_in_dn = no',
      '[ policy_any ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );

  const caExt = words(
    '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
  );
  await Promise.all([
    // Two independent CAs...
    openssl(dir, [
      ...words(`req -x509 ${key} -nodes -keyout ca.key -out ca.pem -days 3 -subj /CN=forwarder-test-CA`),
      ...caExt,
    ]),
    openssl(dir, [
      ...words(
        `req -x509 ${key} -nodes -keyout other-ca.key -out other-ca.pem -days 3 -subj /CN=unrelated-test-CA`,
      ),
      ...caExt,
    ]),
    // ...and the keys + requests of the leaf certificates.
    openssl(dir, words(`req ${key} -nodes -keyout server.key -out server.csr -subj /CN=localhost`)),
    openssl(
      dir,
      words(`req ${key} -nodes -keyout client.key -out client.csr -subj /CN=forwarder-test-client`),
    ),
    openssl(
      dir,
      words(
        `req ${key} -nodes -keyout other-client.key -out other-client.csr -subj /CN=forwarder-test-client`,
      ),
    ),
  ]);
  // The wrong-host certificate reuses the server key with a different subject.
  await openssl(dir, words('req -new -key server.key -out wrong-host.csr -subj /CN=wrong.host.invalid'));
  let serial = Date.now();
  const sign = (csr: string, out: string, ext: string, ca = 'ca') =>
    openssl(
      dir,
      words(
        `x509 -req -in ${csr} -CA ${ca}.pem -CAkey ${ca}.key -set_serial ${serial++} -days 2 -sha256 -out ${out} -extfile ${ext}`,
      ),
    );
  await Promise.all([
    sign('server.csr', 'server.pem', 'server.ext'),
    sign('wrong-host.csr', 'wrong-host.pem', 'wrong-host.ext'),
    sign('client.csr', 'client.pem', 'client.ext'),
    sign('other-client.csr', 'other-client.pem', 'client.ext', 'other-ca'),
    openssl(
      dir,
      words(
        'ca -batch -notext -config ca.cnf -cert ca.pem -keyfile ca.key -in server.csr -out expired.pem ' +
          '-startdate 20200101000000Z -enddate 20200102000000Z -extfile server.ext',
      ),
    ),
  ]);

  const [caPem, otherCaPem, clientCertPem, clientKeyPem] = await Promise.all([
    readFile(f('ca.pem'), 'utf8'),
    readFile(f('other-ca.pem'), 'utf8'),
    readFile(f('client.pem'), 'utf8'),
    readFile(f('client.key'), 'utf8'),
  ]);
  return {
    dir,
    caFile: f('ca.pem'),
    caKeyFile: f('ca.key'),
    caPem,
    serverCertFile: f('server.pem'),
    serverKeyFile: f('server.key'),
    wrongHostCertFile: f('wrong-host.pem'),
    expiredCertFile: f('expired.pem'),
    clientCertFile: f('client.pem'),
    clientKeyFile: f('client.key'),
    clientCertPem,
    clientKeyPem,
    otherCaFile: f('other-ca.pem'),
    otherCaPem,
    otherClientCertFile: f('other-client.pem'),
    otherClientKeyFile: f('other-client.key'),
  };
}

// ---------------------------------------------------------------------------------------------
// rsyslog

export interface RsyslogOptions {
  /** `tls` (default): imtcp with the ossl driver, StreamDriver.Mode=1. `tcp`: plain TCP. */
  transport?: 'tls' | 'tcp';
  /** Which server certificate rsyslog presents (TLS only). Default `valid`. */
  serverCert?: 'valid' | 'wrong-host' | 'expired';
  /** Serve TLS 1.1 and nothing else (TLS only); a default Node client (min TLS 1.2) must refuse it. */
  tls11Only?: boolean;
  /**
   * `anon` (default): no client certificate asked for. `certvalid`: StreamDriver.AuthMode
   * `x509/certvalid` — the client must present a certificate signed by the CA.
   */
  clientAuth?: 'anon' | 'certvalid';
  /** rsyslog's global maxMessageSize (rsyslog's own default is 8192). Default 262144. */
  maxMessageSize?: number;
  /**
   * rsyslog's parser.escapeControlCharactersOnReceive (default on, as in a stock rsyslog): an
   * embedded LF is stored as `#012`, TAB as `#011`. Off: stored raw (JSON-escaped in the output).
   */
  escapeControlCharacters?: boolean;
  /** Reuse a PKI (e.g. one per test file); default: a fresh one in `<dir>/pki`. */
  pki?: TestPki;
  /** Listen on this port instead of a free one. */
  port?: number;
  /** Deadline for start/stop. Default 15 s. */
  timeoutMs?: number;
}

export interface RsyslogHarness {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The CA the server certificate chains to (also the one client certificates are signed by). */
  readonly caFile: string;
  readonly caPem: string;
  /** Directory with all PKI files (see `pki`). */
  readonly certDir: string;
  readonly pki: TestPki;
  /** Harness work directory (config, pid file, rsyslog work dir, output). */
  readonly dir: string;
  readonly configFile: string;
  /** JSON-lines file with one parsed record per received message. */
  readonly outputFile: string;
  /** rsyslogd's own messages (startup, TLS errors, ...), one per line. */
  readonly internalLogFile: string;
  /** pid of the running rsyslogd, undefined when stopped. */
  readonly pid: number | undefined;
  /** All records written so far (complete lines only). */
  records(): Promise<Rsyslog5424Record[]>;
  /** Resolves with all records once there are at least `n`; rejects after `timeoutMs`. */
  waitForRecords(n: number, timeoutMs?: number): Promise<Rsyslog5424Record[]>;
  /** rsyslogd's internal messages plus its stderr (for diagnostics). */
  logs(): Promise<string>;
  /** Stop (SIGTERM, then SIGKILL at the deadline) and start again on the same port. */
  restart(): Promise<void>;
  /** SIGTERM and wait for exit (SIGKILL at the deadline). Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit. Idempotent. */
  kill(): Promise<void>;
  /** stop() and remove the work directory (kept when RSYSLOG_KEEP=1). */
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    if (process.env.RSYSLOG_KEEP !== '1') {
      for (const d of tempDirs) {
        try {
          rmSync(d, { recursive: true, force: true });
        } catch {
          // best effort
        }
      }
    }
  });
  // Turn signals into a normal exit so the 'exit' hook runs (only if nobody else handles them).
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    if (process.listenerCount(sig) === 0) {
      process.once(sig, () => process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1)));
    }
  }
}

/** A port that was free a moment ago on 127.0.0.1 (bind to 0, read, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function q(s: string): string {
  if (/["\\\n]/.test(s)) throw new Error(`unsupported character in rsyslog config value: ${s}`);
  return `"${s}"`;
}

interface ConfigPaths {
  workDir: string;
  outputFile: string;
  internalLogFile: string;
}

export function rsyslogConfig(opts: RsyslogOptions, pki: TestPki, port: number, p: ConfigPaths): string {
  const tls = (opts.transport ?? 'tls') === 'tls';
  const global = [
    `workDirectory=${q(p.workDir)}`,
    `maxMessageSize="${opts.maxMessageSize ?? 262144}"`,
    'net.enableDNS="off"',
    // Route rsyslogd's own messages through this config (to internal.log), not to the host's syslog.
    'processInternalMessages="on"',
    `parser.escapeControlCharactersOnReceive="${opts.escapeControlCharacters === false ? 'off' : 'on'}"`,
  ];
  let moduleLine = 'module(load="imtcp")';
  if (tls) {
    const cert =
      opts.serverCert === 'wrong-host'
        ? pki.wrongHostCertFile
        : opts.serverCert === 'expired'
          ? pki.expiredCertFile
          : pki.serverCertFile;
    global.push(
      'defaultNetstreamDriver="ossl"',
      `defaultNetstreamDriverCAFile=${q(pki.caFile)}`,
      `defaultNetstreamDriverCertFile=${q(cert)}`,
      `defaultNetstreamDriverKeyFile=${q(pki.serverKeyFile)}`,
    );
    const authMode = opts.clientAuth === 'certvalid' ? 'x509/certvalid' : 'anon';
    const mod = [
      'load="imtcp"',
      'StreamDriver.Name="ossl"',
      'StreamDriver.Mode="1"',
      `StreamDriver.AuthMode="${authMode}"`,
    ];
    if (opts.tls11Only) {
      // With the ossl driver, gnutlsPriorityString is a list of OpenSSL SSL_CONF commands (one per
      // line). OpenSSL 3 refuses TLS < 1.2 at its default security level ("no suitable signature
      // algorithm"), hence SECLEVEL=0.
      mod.push(
        'gnutlsPriorityString="MinProtocol=TLSv1.1\\nMaxProtocol=TLSv1.1\\nCipherString=DEFAULT@SECLEVEL=0"',
      );
    }
    moduleLine = `module(${mod.join(' ')})`;
  }
  const field = (out: string, name: string, extra = '') =>
    `  property(outname="${out}" name="${name}" format="jsonf"${extra})`;
  return [
    '# generated by test/receivers/rsyslog.ts — self-contained, no system config',
    `global(${global.join('\n       ')})`,
    moduleLine,
    `input(type="imtcp" name="fwdtest" address="127.0.0.1" port="${port}")`,
    '',
    'template(name="fwdJson" type="list" option.jsonf="on") {',
    field('pri', 'pri', ' datatype="number"'),
    field('facility', 'syslogfacility', ' datatype="number"'),
    field('severity', 'syslogseverity', ' datatype="number"'),
    field('version', 'protocol-version', ' datatype="number"'),
    field('timestamp', 'timereported', ' dateFormat="rfc3339"'),
    field('hostname', 'hostname'),
    field('appName', 'app-name'),
    field('procid', 'procid'),
    field('msgid', 'msgid'),
    field('structuredData', 'structured-data'),
    field('msg', 'msg'),
    field('rawmsg', 'rawmsg'),
    '}',
    '',
    'if $inputname == "fwdtest" then {',
    `  action(type="omfile" file=${q(p.outputFile)} template="fwdJson" flushOnTXEnd="on" asyncWriting="off")`,
    '  stop',
    '}',
    `action(type="omfile" file=${q(p.internalLogFile)} flushOnTXEnd="on" asyncWriting="off")`,
    '',
  ].join('\n');
}

/**
 * Re-evaluate `check` whenever something happens in `watchDir` (fs.watch), when `poke` fires, and
 * on a slow fallback timer (fs.watch can miss events on some file systems); reject at the deadline.
 */
function waitUntil<T>(
  check: () => Promise<T | undefined>,
  opts: {
    timeoutMs: number;
    watchDir?: string;
    describe: () => Promise<string> | string;
    fallbackMs?: number;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let running = false;
    let again = false;
    let watcher: FSWatcher | undefined;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearInterval(fallback);
      watcher?.close();
      fn();
    };
    const run = async () => {
      if (done) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const v = await check();
          if (v !== undefined) return finish(() => resolve(v));
        } while (again && !done);
      } catch (err) {
        finish(() => reject(err));
      } finally {
        running = false;
      }
    };
    const deadline = setTimeout(async () => {
      let desc = '';
      try {
        desc = await opts.describe();
      } catch {
        // ignore
      }
      finish(() => reject(new Error(`timed out after ${opts.timeoutMs} ms: ${desc}`)));
    }, opts.timeoutMs);
    const fallback = setInterval(run, opts.fallbackMs ?? 200);
    if (opts.watchDir) {
      try {
        watcher = watch(opts.watchDir, { persistent: false }, () => void run());
      } catch {
        // fall back to the timer only
      }
    }
    void run();
  });
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function parseRecords(text: string): Rsyslog5424Record[] {
  const out: Rsyslog5424Record[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break; // a partial last line is not a record yet
    const line = text.slice(start, nl);
    start = nl + 1;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as Rsyslog5424Record);
    } catch (err) {
      throw new Error(`rsyslog output line is not JSON (${(err as Error).message}): ${line}`);
    }
  }
  return out;
}

export async function startRsyslog(opts: RsyslogOptions = {}): Promise<RsyslogHarness> {
  const avail = rsyslogAvailable();
  if (!avail.ok || !avail.rsyslogd) throw new Error(`rsyslog not available: ${avail.why}`);
  const rsyslogd = avail.rsyslogd;
  const setpriv = findOnPath('setpriv', ['/usr/bin/setpriv', '/bin/setpriv']);
  installExitHook();
  const timeoutMs = opts.timeoutMs ?? 15_000;

  const dir = await mkdtemp(path.join(tmpdir(), 'fwd-rsyslog-'));
  tempDirs.add(dir);
  const workDir = path.join(dir, 'work');
  const outDir = path.join(dir, 'out');
  await mkdir(workDir);
  await mkdir(outDir);
  const pki = opts.pki ?? (await createTestPki({ dir: path.join(dir, 'pki') }));
  const configFile = path.join(dir, 'rsyslog.conf');
  const pidFile = path.join(dir, 'rsyslogd.pid');
  const outputFile = path.join(outDir, 'records.jsonl');
  const internalLogFile = path.join(outDir, 'internal.log');

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = '';
  let port = opts.port ?? 0;

  const readText = async (file: string) => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  };
  const logs = async () => `${await readText(internalLogFile)}\n--- stderr ---\n${stderr}`;

  const signal = async (sig: NodeJS.Signals, graceMs: number) => {
    const c = child;
    if (!c) return;
    if (c.exitCode === null && c.signalCode === null) c.kill(sig);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      c.kill('SIGKILL');
      await exited;
    }
    child = undefined;
  };

  const spawnOnce = async (p: number): Promise<'ok' | 'bind-failed'> => {
    await writeFile(configFile, rsyslogConfig(opts, pki, p, { workDir, outputFile, internalLogFile }));
    rmSync(pidFile, { force: true });
    stderr = '';
    const args = ['-n', '-f', configFile, '-i', pidFile];
    // Where available, `setpriv --pdeathsig KILL` (util-linux; it execs, so the pid stays
    // rsyslogd's) makes the kernel kill rsyslogd even if this process dies without running its
    // 'exit' hook (SIGKILLed worker, crash).
    const c = spawn(setpriv ?? rsyslogd, setpriv ? ['--pdeathsig', 'KILL', '--', rsyslogd, ...args] : args, {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = c;
    live.add(c);
    exited = new Promise<void>((resolve) => {
      c.once('exit', () => {
        live.delete(c);
        resolve();
      });
      c.once('error', (err) => {
        stderr += `spawn error: ${err.message}\n`;
        live.delete(c);
        resolve();
      });
    });
    c.stderr?.setEncoding('utf8');
    c.stderr?.on('data', (d: string) => {
      stderr += d;
    });
    // `[origin software="rsyslogd" swVersion="8.2302.0" x-pid="123" x-info="https://www.rsyslog.com"] start`
    const startLine = new RegExp(`x-pid="${c.pid}"[^\\]\n]*\\] start`);
    return waitUntil<'ok' | 'bind-failed'>(
      async () => {
        if (/Could not create tcp listener|Error while binding tcp socket/.test(stderr)) return 'bind-failed';
        if (c.exitCode !== null || c.signalCode !== null || live.has(c) === false) {
          throw new Error(
            `rsyslogd exited during startup (code ${c.exitCode}, signal ${c.signalCode}):\n${await logs()}`,
          );
        }
        // rsyslog binds its listeners before it logs "start"; a bind error is logged before it too.
        if (!startLine.test(await readText(internalLogFile))) return undefined;
        if (/Could not create tcp listener|Error while binding tcp socket/.test(stderr)) return 'bind-failed';
        return (await tryConnect(p)) ? 'ok' : undefined;
      },
      {
        timeoutMs,
        watchDir: outDir,
        fallbackMs: 25,
        describe: async () => `rsyslogd did not start listening on 127.0.0.1:${p}\n${await logs()}`,
      },
    );
  };

  const start = async () => {
    const deadline = Date.now() + timeoutMs;
    let lastErr = '';
    while (Date.now() < deadline) {
      // Before the first success `port` is 0 (or the pinned opts.port); afterwards restart() reuses it.
      const p = port !== 0 ? port : await freePort();
      const r = await spawnOnce(p).catch(async (err) => {
        await signal('SIGKILL', 5_000);
        throw err;
      });
      if (r === 'ok') {
        port = p;
        return;
      }
      // Bind failed (our free port was taken in between, or the old socket is not released yet):
      // kill this rsyslogd (it would keep running without a listener) and try again.
      lastErr = await logs();
      await signal('SIGKILL', 5_000);
    }
    throw new Error(`rsyslogd could not bind 127.0.0.1:${port}:\n${lastErr}`);
  };
  await start();

  const records = async () => parseRecords(await readText(outputFile));

  const harness: RsyslogHarness = {
    host: '127.0.0.1',
    get port() {
      return port;
    },
    caFile: pki.caFile,
    caPem: pki.caPem,
    certDir: pki.dir,
    pki,
    dir,
    configFile,
    outputFile,
    internalLogFile,
    get pid() {
      return child?.pid;
    },
    records,
    waitForRecords: (n, waitMs = 10_000) =>
      waitUntil(
        async () => {
          const r = await records();
          return r.length >= n ? r : undefined;
        },
        {
          timeoutMs: waitMs,
          watchDir: outDir,
          describe: async () =>
            `expected ${n} rsyslog records, have ${(await records()).length}\n${await logs()}`,
        },
      ),
    logs,
    restart: async () => {
      await signal('SIGTERM', timeoutMs);
      await start();
    },
    stop: () => signal('SIGTERM', timeoutMs),
    kill: () => signal('SIGKILL', timeoutMs),
    dispose: async () => {
      await signal('SIGTERM', timeoutMs);
      if (process.env.RSYSLOG_KEEP !== '1') {
        rmSync(dir, { recursive: true, force: true });
        tempDirs.delete(dir);
      }
    },
  };
  return harness;
}
