import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ResolvedConfig } from '../config/load.js';
import type { Secret } from '../config/secret.js';
import { ConfigError } from '../errors.js';
import type { Identity, LogEvent } from '../pipeline/event.js';
import { DEBUG, ERROR, FATAL, INFO, TRACE, WARN } from '../pipeline/levels.js';
import { errorText } from './core/classify.js';
import { isoTime } from './core/fields.js';
import { connectionHint } from './core/hints.js';
import {
  type StreamTlsOptions,
  StreamTransport,
  type TlsProblem,
  tlsProblem,
} from './core/stream-transport.js';
import type { DrainNotice, DrainSpec, Outcome, Verdict } from './core/types.js';

/**
 * RFC 5424 messages over TLS (RFC 5425) or, when asked, plain TCP; the format of the LiveKit seed:
 * `[TOKEN ]<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - - MSG`. Reference: destinations.md §6.
 * No BOM before MSG: the seed's example has none and rsyslog keeps a BOM as part of the text.
 */
interface SyslogConfig {
  host: string;
  port: number;
  plain: boolean;
  framing: 'newline' | 'octet-counting';
  tls: StreamTlsOptions;
  tokenStartsWithDigit: boolean;
  encode: (ev: LogEvent) => string;
}

/** RFC 5424 §6.2.1: severities for our levels (the seed's table; anything else is informational). */
const SEVERITY: Readonly<Record<number, number>> = {
  [FATAL]: 2,
  [ERROR]: 3,
  [WARN]: 4,
  [INFO]: 6,
  [DEBUG]: 7,
  [TRACE]: 7,
};
/** RFC 5424 §6.2: HOSTNAME 255, APP-NAME 48, PROCID 128 characters of PRINTUSASCII. */
const HOSTNAME_MAX = 255;
const APP_NAME_MAX = 48;
const PROCID_MAX = 128;
/**
 * One message at most: Papertrail takes up to 100,000 bytes over TCP, and rsyslog's imtcp reads
 * octet-counted frames up to MaxFrameSize 200000 (beyond, it falls back to LF framing and breaks).
 * rsyslog's own maxMessageSize (8 KiB by default) may cut further on the receiver's side.
 */
const MAX_MESSAGE_BYTES = 100_000;
/** Many frames go out in one socket write; a batch is also what is resent after a failed write. */
const MAX_BATCH_BYTES = 512 * 1024;
const ENDPOINT_HELP = 'use host:port, [ipv6]:port or tcp://host:port, e.g. logs.example.com:6514';

/** PRINTUSASCII (33..126) only, cut to the limit; empty → NILVALUE. */
export function headerField(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

/**
 * MSG never carries a raw control byte: a NUL truncates the message at many receivers, a CR or a
 * stray LF splits it, and others end up as `#ooo` or garbage. C0 controls and DEL are written as
 * `\r`, `\n` or `\xHH` (two-digit hex); TAB is kept. Under octet-counting LF is kept too (the frame
 * carries its length, so multi-line records stay whole); under newline framing it is `\n`.
 */
const CONTROL_NEWLINE_FRAMING = /[\x00-\x08\x0a-\x1f\x7f]/;
const CONTROL_OCTET_COUNTING = /[\x00-\x08\x0b-\x1f\x7f]/;
const CONTROL_NEWLINE_FRAMING_ALL = new RegExp(CONTROL_NEWLINE_FRAMING.source, 'g');
const CONTROL_OCTET_COUNTING_ALL = new RegExp(CONTROL_OCTET_COUNTING.source, 'g');

function escapeControl(ch: string): string {
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** `text` with its control bytes escaped as above; the test runs first so clean lines cost one scan. */
export function escapeSyslogMessage(text: string, framing: 'newline' | 'octet-counting'): string {
  const newline = framing === 'newline';
  if (!(newline ? CONTROL_NEWLINE_FRAMING : CONTROL_OCTET_COUNTING).test(text)) return text;
  return text.replace(newline ? CONTROL_NEWLINE_FRAMING_ALL : CONTROL_OCTET_COUNTING_ALL, escapeControl);
}

/** The whole record (one frame) for an event; the identity part is built once. */
function syslogEncoder(id: Identity, facility: number, appName: string, framing: string, token: string) {
  const prefixes = new Map<number, string>();
  for (const [level, severity] of Object.entries(SEVERITY))
    prefixes.set(Number(level), `${token}<${facility * 8 + severity}>1 `);
  const fallback = `${token}<${facility * 8 + 6}>1 `;
  const time = isoTime();
  const middle = ` ${headerField(id.agentId, HOSTNAME_MAX)} ${headerField(appName, APP_NAME_MAX)} ${headerField(id.workerId, PROCID_MAX)} - - `;
  if (framing === 'octet-counting') {
    // RFC 5425 / RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG; newlines stay in the message.
    return (ev: LogEvent): string => {
      const text = escapeSyslogMessage(ev.message, 'octet-counting');
      const msg = `${prefixes.get(ev.level) ?? fallback}${time(ev.timestamp)}${middle}${text}`;
      return `${Buffer.byteLength(msg)} ${msg}`;
    };
  }
  // Newline framing: an embedded LF would end the frame, so it is written as the two characters \n.
  return (ev: LogEvent): string => {
    const text = escapeSyslogMessage(ev.message, 'newline');
    return `${prefixes.get(ev.level) ?? fallback}${time(ev.timestamp)}${middle}${text}`;
  };
}

/** `host:port`, `[v6]:port`, `tcp://host:port` (plain TCP), `tls://host:port`. */
function parseEndpoint(raw: string, where: string): { host: string; port: number; plain: boolean } {
  let rest = raw.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  let plain = false;
  if (scheme) {
    const s = scheme[1]!.toLowerCase();
    if (s !== 'tcp' && s !== 'tls')
      throw new ConfigError(`${where} has an unsupported scheme ${s}:// (${ENDPOINT_HELP})`);
    plain = s === 'tcp';
    rest = rest.slice(scheme[0].length).replace(/\/$/, '');
  }
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(rest) ?? /^([^:@[\]/\s]+):(\d+)$/.exec(rest);
  // user:password@ has no place in a syslog endpoint, and is not quoted back in case it is a password.
  if (!m && rest.includes('@'))
    throw new ConfigError(`${where} is not host:port (value hidden: it contains user@; ${ENDPOINT_HELP})`);
  if (!m) {
    const v6 = rest.split(':').length > 2 && !rest.startsWith('[');
    throw new ConfigError(
      `${where} is not host:port: ${JSON.stringify(raw)} (${v6 ? 'put an IPv6 address in brackets: [::1]:6514' : ENDPOINT_HELP})`,
    );
  }
  const host = m[1]!;
  const port = Number(m[2]);
  if (rest.startsWith('[') && isIP(host) !== 6)
    throw new ConfigError(`${where}: ${host} is not an IPv6 address`);
  if (port < 1 || port > 65_535) throw new ConfigError(`${where} has port ${m[2]}, outside 1..65535`);
  return { host, port, plain };
}

function readPem(
  config: ResolvedConfig,
  key: string,
  kind: 'CERTIFICATE' | 'PRIVATE KEY',
): string | undefined {
  const file = config.get<string>(key);
  if (!file) return undefined;
  const where = config.nameOf(key);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${where} cannot be read: ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(text))
    throw new ConfigError(`${where} is not a PEM ${kind.toLowerCase()} file: ${file}`);
  return text;
}

const HINTS: Record<TlsProblem, string> = {
  expired: "the receiver's certificate must be renewed (or its clock and ours disagree)",
  not_yet_valid: "check this host's clock, or the receiver's certificate start date",
  host: "use a host name in SYSLOG_ENDPOINT that the receiver's certificate lists (its CN / subjectAltName)",
  unknown_ca: 'set SYSLOG_CA_FILE (or NODE_EXTRA_CA_CERTS) to the CA that signed the receiver certificate',
  protocol: 'the receiver must enable TLS 1.2 or 1.3; forwarder never uses older versions',
  not_tls: 'point SYSLOG_ENDPOINT at the TLS port, or use tcp://host:port if plain TCP is intended',
  client_cert: 'set SYSLOG_CERT_FILE and SYSLOG_KEY_FILE to a client certificate the receiver trusts',
  other: 'check SYSLOG_ENDPOINT and the TLS settings (SYSLOG_CA_FILE, SYSLOG_CERT_FILE, SYSLOG_KEY_FILE)',
};

export const syslogDrain: DrainSpec<SyslogConfig> = {
  id: 'syslog',
  envPrefix: 'SYSLOG_',
  description: 'RFC 5424 syslog over TCP+TLS (RFC 5425), newline or octet-counting framing.',
  enabledBy: 'SYSLOG_ENDPOINT',
  settings: [
    {
      key: 'syslog.endpoint',
      env: 'SYSLOG_ENDPOINT',
      type: 'string',
      doc: `Enables the drain: the receiver, TLS unless tcp:// (${ENDPOINT_HELP}).`,
    },
    {
      key: 'syslog.token',
      env: 'SYSLOG_TOKEN',
      type: 'string',
      secret: true,
      doc: 'Written with a space before every message (`TOKEN <PRI>1 …`).',
    },
    {
      key: 'syslog.facility',
      env: 'SYSLOG_FACILITY',
      type: 'int',
      default: 1,
      min: 0,
      max: 23,
      doc: 'PRI facility: 1 user, 16..23 local0..local7.',
    },
    {
      key: 'syslog.app_name',
      env: 'SYSLOG_APP_NAME',
      type: 'string',
      default: 'forwarder',
      doc: 'APP-NAME (printable ASCII, at most 48 characters).',
    },
    {
      key: 'syslog.framing',
      env: 'SYSLOG_FRAMING',
      type: 'enum',
      values: ['newline', 'octet-counting'],
      default: 'newline',
      doc: 'newline: one message per line, embedded newlines written as \\n (the default; rsyslog, Papertrail, LiveKit); octet-counting: RFC 5425 `LEN MSG`, newlines kept (syslog-ng `syslog()` / RFC 5425 receivers need it). Other control bytes are always escaped.',
    },
    {
      key: 'syslog.ca_file',
      env: 'SYSLOG_CA_FILE',
      type: 'string',
      doc: "PEM CA trusted for the receiver's certificate, on top of the system roots.",
    },
    {
      key: 'syslog.cert_file',
      env: 'SYSLOG_CERT_FILE',
      type: 'string',
      doc: 'PEM client certificate, for receivers that require one (with SYSLOG_KEY_FILE).',
    },
    {
      key: 'syslog.key_file',
      env: 'SYSLOG_KEY_FILE',
      type: 'string',
      doc: 'PEM private key of SYSLOG_CERT_FILE.',
    },
  ],
  configure(config: ResolvedConfig, ctx) {
    const raw = config.get<string>('syslog.endpoint');
    if (!raw) return undefined;
    const { host, port, plain } = parseEndpoint(raw, config.nameOf('syslog.endpoint'));
    const framing = config.get<'newline' | 'octet-counting'>('syslog.framing')!;
    const token = config.get<Secret>('syslog.token')?.reveal() ?? '';
    if (/[\s]/.test(token))
      throw new ConfigError(`${config.nameOf('syslog.token')} contains white space or a newline`);
    const tls: StreamTlsOptions = {};
    const ca = readPem(config, 'syslog.ca_file', 'CERTIFICATE');
    const cert = readPem(config, 'syslog.cert_file', 'CERTIFICATE');
    const key = readPem(config, 'syslog.key_file', 'PRIVATE KEY');
    if ((cert === undefined) !== (key === undefined))
      throw new ConfigError(
        'SYSLOG_CERT_FILE and SYSLOG_KEY_FILE must be set together (a client certificate and its key)',
      );
    if (plain && (ca || cert))
      throw new ConfigError(
        `${config.nameOf('syslog.endpoint')} is tcp:// (plain TCP, no TLS) but TLS files are set; drop tcp:// to use TLS`,
      );
    if (ca) tls.ca = ca;
    if (cert && key) Object.assign(tls, { cert, key });
    const appName = config.get<string>('syslog.app_name')!;
    const facility = config.get<number>('syslog.facility')!;
    return {
      host,
      port,
      plain,
      framing,
      tls,
      tokenStartsWithDigit: /^[0-9]/.test(token),
      encode: syslogEncoder(ctx.identity, facility, appName, framing, token ? `${token} ` : ''),
    };
  },
  endpoint: (c) => `${c.plain ? 'tcp://' : ''}${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`,
  notices(_config, c): DrainNotice[] {
    const out: DrainNotice[] = [];
    if (c?.plain)
      out.push({
        level: 'warn',
        message:
          'plain TCP (SYSLOG_ENDPOINT=tcp://…): messages and SYSLOG_TOKEN travel unencrypted and the receiver is not verified',
      });
    if (c?.tokenStartsWithDigit && c.framing === 'newline')
      out.push({
        level: 'warn',
        message:
          'SYSLOG_TOKEN starts with a digit, which rsyslog-style receivers read as an octet count under newline framing; set SYSLOG_FRAMING=octet-counting',
      });
    return out;
  },
  limits: () => ({
    maxBatchBytes: MAX_BATCH_BYTES,
    maxBatchRecords: 10_000,
    maxRecordBytes: MAX_MESSAGE_BYTES,
    // One connection, batches in order.
    concurrency: 1,
  }),
  encode: (ev, c) => c.encode(ev),
  // Each record is a whole frame: octet-counted records carry their length, newline ones get an LF.
  frame: (records, c) => (c.framing === 'newline' ? `${records.join('\n')}\n` : records.join('')),
  frameOverheadBytes: 1,
  transport: (c, ctx) =>
    new StreamTransport({
      host: c.host,
      port: c.port,
      tls: c.plain ? false : c.tls,
      connectTimeoutMs: ctx.requestTimeoutMs,
      writeTimeoutMs: ctx.requestTimeoutMs,
      resendBytes: 2 * MAX_BATCH_BYTES,
    }),
  classify(outcome: Outcome): Verdict {
    if (outcome.kind !== 'error') return { action: 'ok' };
    // A certificate or protocol problem will not fix itself between attempts: the batch is dropped
    // and counted under `tls`, with the reason in one line.
    if (tlsProblem(outcome.code)) return { action: 'reject', reason: 'tls', detail: outcome.message };
    if (outcome.code === 'ABORT_ERR') return { action: 'reject', reason: 'flush_deadline' };
    return { action: 'retry', reason: 'network', detail: errorText(outcome.code, outcome.message) };
  },
  hint(outcome, c) {
    if (outcome.kind !== 'error') return undefined;
    const problem = tlsProblem(outcome.code);
    if (problem) return HINTS[problem];
    if (outcome.code === 'EPEERCLOSED')
      return c.framing === 'newline'
        ? 'an RFC 5425 receiver (syslog-ng syslog(), …) drops newline-framed messages: set SYSLOG_FRAMING=octet-counting'
        : 'the receiver refused the message: check that it takes RFC 5424 over octet-counting (SYSLOG_FRAMING=newline otherwise)';
    return connectionHint(outcome, 'SYSLOG_ENDPOINT');
  },
};
