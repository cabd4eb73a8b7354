/**
 * Loopback contract receiver for AWS CloudWatch Logs (AWS JSON 1.1, `POST /`), plus a tiny STS for
 * the web-identity (IRSA) credential path.
 *
 * Every request's SigV4 signature is verified here with an independent node:crypto implementation
 * (never the SDK's signer: the point is to check the SDK's output). Wire details from
 * shared/reference/destinations.md §3; headers the SDK signs were observed from
 * @aws-sdk/client-cloudwatch-logs 3.1168 (amz-sdk-invocation-id;amz-sdk-request;content-length;
 * content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target;x-amz-user-agent).
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  type Fault,
  HttpReceiver,
  header,
  isObject,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

// ---------------------------------------------------------------------------------------------
// Credentials shared by the CloudWatch receiver and the STS receiver

export interface AwsTestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** temporary credentials: the request must carry it as X-Amz-Security-Token, signed */
  sessionToken?: string;
  /** epoch ms after which requests get ExpiredTokenException */
  expiresAt?: number;
}

/** Static test keys (AWS's documentation example shape; not real). */
export const TEST_AWS_CREDENTIALS: AwsTestCredentials = {
  accessKeyId: 'AKIAFORWARDERTEST01',
  secretAccessKey: 'fwdTestSecretKey/K7MDENG+bPxRfiCYEXAMPLE',
};

export class AwsCredentialStore {
  readonly #byId = new Map<string, AwsTestCredentials>();
  constructor(initial: AwsTestCredentials[] = []) {
    for (const c of initial) this.add(c);
  }
  add(c: AwsTestCredentials): AwsTestCredentials {
    this.#byId.set(c.accessKeyId, c);
    return c;
  }
  get(accessKeyId: string): AwsTestCredentials | undefined {
    return this.#byId.get(accessKeyId);
  }
  delete(accessKeyId: string): void {
    this.#byId.delete(accessKeyId);
  }
  /** Issues temporary credentials (ASIA… key, session token) valid for ttlMs. */
  issueTemporary(ttlMs: number, now = Date.now()): Required<AwsTestCredentials> {
    const c = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `FwoGZXIvYXdzE${randomBytes(48).toString('base64')}`,
      expiresAt: now + ttlMs,
    };
    this.add(c);
    return c;
  }
}

// ---------------------------------------------------------------------------------------------
// SigV4 verification (independent implementation)

export interface SigV4Input {
  method: string;
  /** the path as sent on the wire (percent-encoded), without the query */
  path: string;
  /** the raw query string without '?', or already-decoded pairs */
  query: string | URLSearchParams;
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Options {
  service: string;
  region: string;
  credentials: AwsCredentialStore;
  now: number;
  /** default 5 minutes */
  maxSkewMs?: number;
  /** headers that must be in SignedHeaders besides host and x-amz-date (lowercase) */
  requiredSignedHeaders?: readonly string[];
  /** non-S3 services encode the path a second time (the SDK's uriEscapePath); default true */
  doubleEncodePath?: boolean;
}

export type SigV4Result =
  | { ok: true; accessKeyId: string; signedHeaders: string[]; canonicalRequest: string; stringToSign: string }
  | { ok: false; status: number; type: string; message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MSG_BAD_SIGNATURE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MSG_BAD_TOKEN = 'The security token included in the request is invalid.';

const sha256hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ is %XX (uppercase). */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(path: string, doubleEncode: boolean): string {
  if (!doubleEncode) return path || '/';
  const segs: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segs.pop();
    else segs.push(seg);
  }
  const joined = `${path.startsWith('/') ? '/' : ''}${segs.join('/')}${segs.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return rfc3986(joined).replace(/%2F/g, '/') || '/';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function canonicalQuery(query: string | URLSearchParams): string {
  const decoded: [string, string][] = [];
  if (typeof query === 'string') {
    for (const part of query.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      decoded.push([
        safeDecode(eq === -1 ? part : part.slice(0, eq)),
        eq === -1 ? '' : safeDecode(part.slice(eq + 1)),
      ]);
    }
  } else {
    for (const kv of query) decoded.push(kv);
  }
  const pairs: [string, string][] = [];
  for (const [k, v] of decoded) if (k !== 'X-Amz-Signature') pairs.push([rfc3986(k), rfc3986(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: SigV4Input['headers'], name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

function parseAuthorization(
  auth: string,
): { credential: string; signedHeaders: string; signature: string } | string {
  const sp = auth.indexOf(' ');
  const alg = sp === -1 ? auth : auth.slice(0, sp);
  if (alg !== ALGORITHM) return `Unsupported AWS 'algorithm': '${alg}'`;
  const fields = new Map<string, string>();
  for (const part of auth.slice(sp + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.get(k));
  if (missing.length > 0)
    return missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ');
  return {
    credential: fields.get('Credential')!,
    signedHeaders: fields.get('SignedHeaders')!,
    signature: fields.get('Signature')!,
  };
}

function fmtAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Verifies the Authorization header of one request: scope, date window, key, token, the signed
 * header set and finally the HMAC. Error types and messages follow what AWS JSON services return.
 */
export function verifySigV4(req: SigV4Input, opts: SigV4Options): SigV4Result {
  const fail = (type: string, message: string, status = 400): SigV4Result => ({
    ok: false,
    status,
    type,
    message,
  });
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const parsed = parseAuthorization(auth);
  if (typeof parsed === 'string') return fail('IncompleteSignatureException', parsed);

  const scope = parsed.credential.split('/');
  if (scope.length !== 5) {
    return fail(
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parsed.credential}'`,
    );
  }
  const [keyId, scopeDate, scopeRegion, scopeService, term] = scope as [
    string,
    string,
    string,
    string,
    string,
  ];

  const amzDate = headerValue(req.headers, 'x-amz-date');
  if (!amzDate) {
    return fail(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const m = AMZ_DATE_RE.exec(amzDate);
  if (!m)
    return fail(
      'IncompleteSignatureException',
      `X-Amz-Date must be in ISO 8601 basic format (YYYYMMDD'T'HHMMSS'Z'), got '${amzDate}'`,
    );
  const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (term !== 'aws4_request')
    return fail(
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request'.",
    );
  if (scopeDate !== amzDate.slice(0, 8)) {
    return fail(
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from 'X-Amz-Date'.`,
    );
  }
  if (scopeRegion !== opts.region)
    return fail(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${scopeRegion}'.`,
    );
  if (scopeService !== opts.service)
    return fail(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${opts.service}'.`,
    );

  const skew = opts.maxSkewMs ?? 5 * 60_000;
  const skewMin = Math.round(skew / 60_000);
  if (signedAt < opts.now - skew) {
    return fail(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${fmtAmzDate(opts.now - skew)} (${fmtAmzDate(opts.now)} - ${skewMin} min.)`,
    );
  }
  if (signedAt > opts.now + skew) {
    return fail(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${fmtAmzDate(opts.now + skew)} (${fmtAmzDate(opts.now)} + ${skewMin} min.)`,
    );
  }

  const cred = opts.credentials.get(keyId);
  if (!cred) return fail('UnrecognizedClientException', MSG_BAD_TOKEN);
  const token = headerValue(req.headers, 'x-amz-security-token');
  if (cred.sessionToken !== undefined || token !== undefined) {
    if (token !== cred.sessionToken) return fail('UnrecognizedClientException', MSG_BAD_TOKEN);
  }
  if (cred.expiresAt !== undefined && opts.now >= cred.expiresAt) {
    return fail('ExpiredTokenException', 'The security token included in the request is expired');
  }

  const signedHeaders = parsed.signedHeaders.split(';');
  if (!signedHeaders.includes('host')) {
    return fail(
      'InvalidSignatureException',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const required = [
    'x-amz-date',
    ...(token !== undefined ? ['x-amz-security-token'] : []),
    ...(opts.requiredSignedHeaders ?? []),
  ];
  for (const h of required) {
    if (!signedHeaders.includes(h))
      return fail('InvalidSignatureException', `'${h}' must be a 'SignedHeader' in the AWS Authorization.`);
  }

  const payloadHash = sha256hex(req.body);
  const claimed = headerValue(req.headers, 'x-amz-content-sha256');
  if (claimed !== undefined && claimed !== payloadHash) {
    return fail(
      'InvalidSignatureException',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }

  const lines: string[] = [];
  for (const h of signedHeaders) {
    const v = headerValue(req.headers, h);
    if (v === undefined)
      return fail('InvalidSignatureException', `Signed header '${h}' is not present in the request.`);
    lines.push(`${h}:${v.trim().replace(/\s+/g, ' ')}\n`);
  }
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(req.path, opts.doubleEncodePath ?? true),
    canonicalQuery(req.query),
    lines.join(''),
    parsed.signedHeaders,
    payloadHash,
  ].join('\n');
  const credentialScope = `${scopeDate}/${scopeRegion}/${scopeService}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${credentialScope}\n${sha256hex(canonicalRequest)}`;
  const kDate = hmac(`AWS4${cred.secretAccessKey}`, scopeDate);
  const kSigning = hmac(hmac(hmac(kDate, scopeRegion), scopeService), 'aws4_request');
  const expected = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(parsed.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    // AWS JSON services append both strings, which is what makes a mismatch debuggable
    return fail(
      'InvalidSignatureException',
      `${MSG_BAD_SIGNATURE}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }
  return { ok: true, accessKeyId: keyId, signedHeaders, canonicalRequest, stringToSign };
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs receiver

export interface CloudWatchLogRecord {
  logGroupName: string;
  logStreamName: string;
  timestamp: number;
  message: string;
}

export interface CloudWatchLogsReceiverOptions extends ReceiverOptions<CloudWatchLogRecord> {
  /** accepted keys (default: a store holding TEST_AWS_CREDENTIALS); share it with StsReceiver */
  credentials?: AwsCredentialStore;
  /** default us-west-2 */
  region?: string;
  /** clock for signature windows and event age (default Date.now) */
  now?: () => number;
  /** default 5 min */
  maxClockSkewMs?: number;
  /** extra headers that must be signed (default none beyond host, x-amz-date and the token) */
  requiredSignedHeaders?: string[];
  /** groups (and their streams) that exist from the start */
  logGroups?: Record<string, string[]>;
}

/** PutLogEvents limits (API reference; destinations.md §3). */
export const CWL_LIMITS = {
  maxBatchBytes: 1_048_576,
  perEventOverheadBytes: 26,
  maxEvents: 10_000,
  maxEventBytes: 1_048_576,
  maxSpanMs: 24 * 3_600_000,
  maxFutureMs: 2 * 3_600_000,
  maxAgeMs: 14 * 24 * 3_600_000,
} as const;

const AMZ_JSON = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'Logs_20140328.';
const GROUP_RE = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_RE = /^[^:*]*$/;

type OpResult =
  | { ok: true; body: unknown; records?: CloudWatchLogRecord[] }
  | { ok: false; type: string; message: string; status?: number };

interface LogStreamState {
  creationTime: number;
  lastIngestionTime?: number;
}

export class CloudWatchLogsReceiver extends HttpReceiver<CloudWatchLogRecord> {
  protected readonly vendor = 'cloudwatch-logs';
  readonly credentials: AwsCredentialStore;
  readonly region: string;
  /** operation name of every request that passed authentication, in order */
  readonly operations: string[] = [];
  readonly #now: () => number;
  readonly #maxSkewMs: number;
  readonly #requiredSigned: string[];
  readonly #groups = new Map<string, { creationTime: number; streams: Map<string, LogStreamState> }>();
  #seq = 0n;

  constructor(opts: CloudWatchLogsReceiverOptions = {}) {
    super(opts);
    this.credentials = opts.credentials ?? new AwsCredentialStore([TEST_AWS_CREDENTIALS]);
    this.region = opts.region ?? 'us-west-2';
    this.#now = opts.now ?? Date.now;
    this.#maxSkewMs = opts.maxClockSkewMs ?? 5 * 60_000;
    this.#requiredSigned = (opts.requiredSignedHeaders ?? []).map((h) => h.toLowerCase());
    for (const [g, streams] of Object.entries(opts.logGroups ?? {})) {
      this.createLogGroup(g);
      for (const s of streams) this.createLogStream(g, s);
    }
  }

  createLogGroup(name: string): void {
    if (!this.#groups.has(name)) this.#groups.set(name, { creationTime: this.#now(), streams: new Map() });
  }

  createLogStream(group: string, stream: string): void {
    this.createLogGroup(group);
    const g = this.#groups.get(group)!;
    if (!g.streams.has(stream)) g.streams.set(stream, { creationTime: this.#now() });
  }

  hasLogStream(group: string, stream: string): boolean {
    return this.#groups.get(group)?.streams.has(stream) ?? false;
  }

  /** AWS-shaped body for fault statuses: 400 → ThrottlingException, 5xx → ServiceUnavailableException. */
  protected override faultReply(status: number): { body: string; headers?: Record<string, string> } {
    const type =
      status === 400 || status === 429
        ? 'ThrottlingException'
        : status >= 500
          ? 'ServiceUnavailableException'
          : 'InternalFailure';
    const message =
      type === 'ThrottlingException'
        ? 'Rate exceeded'
        : type === 'ServiceUnavailableException'
          ? 'The service is unavailable. Please try again later.'
          : 'injected fault';
    return { body: JSON.stringify({ __type: type, message }), headers: awsErrorHeaders(type) };
  }

  protected async handle(
    req: ReceivedRequest,
    raw: Buffer,
    truncated: boolean,
  ): Promise<Reply<CloudWatchLogRecord>> {
    const error = (type: string, message: string, status = 400): Reply<CloudWatchLogRecord> => ({
      status,
      body: JSON.stringify({ __type: type, message }),
      headers: awsErrorHeaders(type),
      error: `${type}: ${message.split('\n')[0]}`,
    });
    if (req.method !== 'POST' || req.path !== '/')
      return error('UnknownOperationException', `${req.method} ${req.path} is not an operation`, 404);
    if (truncated) return error('SerializationException', 'Request body too large', 413);

    const sig = verifySigV4(
      { method: req.method, path: req.path, query: req.query, headers: req.headers, body: raw },
      {
        service: 'logs',
        region: this.region,
        credentials: this.credentials,
        now: this.#now(),
        maxSkewMs: this.#maxSkewMs,
        requiredSignedHeaders: this.#requiredSigned,
      },
    );
    if (!sig.ok) return error(sig.type, sig.message, sig.status);
    req.info = { accessKeyId: sig.accessKeyId, signedHeaders: sig.signedHeaders };

    const ce = header(req.headers, 'content-encoding');
    if (ce !== undefined && ce !== '' && ce !== 'identity')
      return error('SerializationException', `Unsupported Content-Encoding '${ce}'`);
    const ct = (header(req.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (ct !== AMZ_JSON)
      return error('SerializationException', `Unsupported Content-Type '${ct}', expected ${AMZ_JSON}`);
    const target = header(req.headers, 'x-amz-target') ?? '';
    if (!target.startsWith(TARGET_PREFIX))
      return error('UnknownOperationException', `Unknown target '${target}'`);
    const op = target.slice(TARGET_PREFIX.length);
    if (this.keepRecords) req.body = raw;

    let input: unknown;
    try {
      input = JSON.parse(raw.toString('utf8'));
    } catch {
      return error('SerializationException', 'Body is not valid JSON');
    }
    if (!isObject(input)) return error('SerializationException', 'Body must be a JSON object');
    this.operations.push(op);
    req.info.operation = op;

    let r: OpResult;
    switch (op) {
      case 'PutLogEvents':
        r = this.#putLogEvents(input);
        break;
      case 'CreateLogGroup':
        r = this.#createGroup(input);
        break;
      case 'CreateLogStream':
        r = this.#createStream(input);
        break;
      case 'DescribeLogGroups':
        r = this.#describeGroups(input);
        break;
      case 'DescribeLogStreams':
        r = this.#describeStreams(input);
        break;
      default:
        return error('UnknownOperationException', `Operation ${op} is not supported by this receiver`);
    }
    if (!r.ok) return error(r.type, r.message, r.status ?? 400);
    return {
      status: 200,
      body: JSON.stringify(r.body),
      headers: { 'content-type': AMZ_JSON, 'x-amzn-requestid': randomUUID() },
      ...(r.records ? { records: r.records } : {}),
    };
  }

  #group(input: Record<string, unknown>): { name: string } | OpResult {
    const name = input.logGroupName;
    if (typeof name !== 'string')
      return invalid(
        "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
      );
    if (name.length < 1 || name.length > 512) {
      return invalid(
        `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must have length between 1 and 512`,
      );
    }
    if (!GROUP_RE.test(name)) {
      return invalid(
        `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      );
    }
    return { name };
  }

  #stream(input: Record<string, unknown>): { name: string } | OpResult {
    const name = input.logStreamName;
    if (typeof name !== 'string')
      return invalid(
        "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null",
      );
    if (name.length < 1 || name.length > 512) {
      return invalid(
        `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must have length between 1 and 512`,
      );
    }
    if (!STREAM_RE.test(name)) {
      return invalid(
        `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
      );
    }
    return { name };
  }

  #createGroup(input: Record<string, unknown>): OpResult {
    const g = this.#group(input);
    if ('ok' in g) return g;
    if (this.#groups.has(g.name))
      return {
        ok: false,
        type: 'ResourceAlreadyExistsException',
        message: 'The specified log group already exists',
      };
    this.createLogGroup(g.name);
    return { ok: true, body: {} };
  }

  #createStream(input: Record<string, unknown>): OpResult {
    const g = this.#group(input);
    if ('ok' in g) return g;
    const s = this.#stream(input);
    if ('ok' in s) return s;
    const group = this.#groups.get(g.name);
    if (!group)
      return {
        ok: false,
        type: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      };
    if (group.streams.has(s.name))
      return {
        ok: false,
        type: 'ResourceAlreadyExistsException',
        message: 'The specified log stream already exists',
      };
    this.createLogStream(g.name, s.name);
    return { ok: true, body: {} };
  }

  #describeGroups(input: Record<string, unknown>): OpResult {
    const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
    const logGroups = [...this.#groups]
      .filter(([n]) => n.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([logGroupName, g]) => ({
        logGroupName,
        creationTime: g.creationTime,
        metricFilterCount: 0,
        arn: `arn:aws:logs:${this.region}:123456789012:log-group:${logGroupName}:*`,
        storedBytes: 0,
      }));
    return { ok: true, body: { logGroups } };
  }

  #describeStreams(input: Record<string, unknown>): OpResult {
    const g = this.#group(input);
    if ('ok' in g) return g;
    const group = this.#groups.get(g.name);
    if (!group)
      return {
        ok: false,
        type: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      };
    const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : '';
    const logStreams = [...group.streams]
      .filter(([n]) => n.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([logStreamName, s]) => ({
        logStreamName,
        creationTime: s.creationTime,
        ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
        arn: `arn:aws:logs:${this.region}:123456789012:log-group:${g.name}:log-stream:${logStreamName}`,
        storedBytes: 0,
      }));
    return { ok: true, body: { logStreams } };
  }

  #putLogEvents(input: Record<string, unknown>): OpResult {
    const g = this.#group(input);
    if ('ok' in g) return g;
    const s = this.#stream(input);
    if ('ok' in s) return s;
    const events = input.logEvents;
    if (!Array.isArray(events))
      return invalid(
        "1 validation error detected: Value null at 'logEvents' failed to satisfy constraint: Member must not be null",
      );
    if (events.length < 1)
      return invalid(
        "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    if (events.length > CWL_LIMITS.maxEvents) {
      return invalid(
        `1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${CWL_LIMITS.maxEvents}`,
      );
    }
    const parsed: { timestamp: number; message: string }[] = [];
    let batchBytes = 0;
    for (let i = 0; i < events.length; i++) {
      const e: unknown = events[i];
      const at = `'logEvents.${i + 1}.member`;
      if (!isObject(e))
        return invalid(
          `1 validation error detected: Value at ${at}' failed to satisfy constraint: Member must be a structure`,
        );
      if (typeof e.timestamp !== 'number' || !Number.isSafeInteger(e.timestamp)) {
        return invalid(
          `1 validation error detected: Value '${String(e.timestamp)}' at ${at}.timestamp' failed to satisfy constraint: Member must be a long (ms since epoch)`,
        );
      }
      if (typeof e.message !== 'string')
        return invalid(
          `1 validation error detected: Value null at ${at}.message' failed to satisfy constraint: Member must not be null`,
        );
      if (e.message.length < 1) {
        return invalid(
          `1 validation error detected: Value '' at ${at}.message' failed to satisfy constraint: Member must have length greater than or equal to 1`,
        );
      }
      const eventBytes = Buffer.byteLength(e.message, 'utf8') + CWL_LIMITS.perEventOverheadBytes;
      if (eventBytes > CWL_LIMITS.maxEventBytes)
        return invalid(
          `Log event too large: ${eventBytes} bytes exceeds limit of ${CWL_LIMITS.maxEventBytes}`,
        );
      batchBytes += eventBytes;
      parsed.push({ timestamp: e.timestamp, message: e.message });
    }

    const group = this.#groups.get(g.name);
    if (!group)
      return {
        ok: false,
        type: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      };
    const stream = group.streams.get(s.name);
    if (!stream)
      return {
        ok: false,
        type: 'ResourceNotFoundException',
        message: 'The specified log stream does not exist.',
      };

    if (batchBytes > CWL_LIMITS.maxBatchBytes)
      return invalid(`Upload too large: ${batchBytes} bytes exceeds limit of ${CWL_LIMITS.maxBatchBytes}`);
    for (let i = 1; i < parsed.length; i++) {
      if (parsed[i]!.timestamp < parsed[i - 1]!.timestamp)
        return invalid('Log events in a single PutLogEvents request must be in chronological order.');
    }

    // too old = a prefix, too new = a suffix (the batch is sorted); both reported, not errors
    const now = this.#now();
    let oldEnd = 0;
    while (oldEnd < parsed.length && parsed[oldEnd]!.timestamp < now - CWL_LIMITS.maxAgeMs) oldEnd++;
    let newStart = parsed.length;
    while (newStart > oldEnd && parsed[newStart - 1]!.timestamp > now + CWL_LIMITS.maxFutureMs) newStart--;
    if (
      newStart > oldEnd &&
      parsed[newStart - 1]!.timestamp - parsed[oldEnd]!.timestamp > CWL_LIMITS.maxSpanMs
    ) {
      return invalid(
        'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      );
    }

    const records: CloudWatchLogRecord[] = [];
    for (let i = oldEnd; i < newStart; i++) {
      const e = parsed[i]!;
      records.push({
        logGroupName: g.name,
        logStreamName: s.name,
        timestamp: e.timestamp,
        message: e.message,
      });
    }
    if (records.length > 0) stream.lastIngestionTime = now;
    this.#seq++;
    const body: Record<string, unknown> = { nextSequenceToken: this.#seq.toString().padStart(56, '4') };
    if (oldEnd > 0 || newStart < parsed.length) {
      body.rejectedLogEventsInfo = {
        ...(newStart < parsed.length ? { tooNewLogEventStartIndex: newStart } : {}),
        ...(oldEnd > 0 ? { tooOldLogEventEndIndex: oldEnd } : {}),
      };
    }
    return { ok: true, body, records };
  }
}

function invalid(message: string): OpResult {
  return { ok: false, type: 'InvalidParameterException', message };
}

export function awsErrorHeaders(type: string): Record<string, string> {
  return {
    'content-type': AMZ_JSON,
    'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
    'x-amzn-requestid': randomUUID(),
  };
}

/** Fault scripts with AWS's own error bodies. */
export const cloudWatchFaults = {
  throttling: (times = 1): Fault => ({
    status: 400,
    times,
    body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
    headers: awsErrorHeaders('ThrottlingException'),
  }),
  serviceUnavailable: (times = 1): Fault => ({
    status: 500,
    times,
    body: JSON.stringify({
      __type: 'ServiceUnavailableException',
      message: 'The service is unavailable. Please try again later.',
    }),
    headers: awsErrorHeaders('ServiceUnavailableException'),
  }),
};

// ---------------------------------------------------------------------------------------------
// STS: AssumeRoleWithWebIdentity only (unsigned form POST, XML answer), for the IRSA path

export interface StsReceiverOptions extends ReceiverOptions<StsIssued> {
  /** where issued credentials go; pass the CloudWatch receiver's store */
  credentials: AwsCredentialStore;
  roleArn: string;
  /** the token file's contents; a function so a test can rotate it */
  webIdentityToken: string | (() => string);
  /** lifetime of issued credentials (default 1 h) */
  ttlMs?: number;
  now?: () => number;
}

export interface StsIssued {
  roleArn: string;
  roleSessionName: string;
  accessKeyId: string;
  expiresAt: number;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export class StsReceiver extends HttpReceiver<StsIssued> {
  protected readonly vendor = 'sts';
  readonly #o: StsReceiverOptions;

  constructor(opts: StsReceiverOptions) {
    super(opts);
    this.#o = opts;
  }

  protected override faultReply(status: number): { body: string; headers?: Record<string, string> } {
    const code = status >= 500 ? 'ServiceUnavailable' : 'Throttling';
    return {
      body: stsError(code, 'injected fault', status >= 500 ? 'Receiver' : 'Sender'),
      headers: { 'content-type': 'text/xml' },
    };
  }

  protected async handle(req: ReceivedRequest, raw: Buffer): Promise<Reply<StsIssued>> {
    const err = (status: number, code: string, message: string): Reply<StsIssued> => ({
      status,
      body: stsError(code, message, 'Sender'),
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
      error: `${code}: ${message}`,
    });
    if (req.method !== 'POST' || req.path !== '/')
      return err(404, 'UnknownOperation', `${req.method} ${req.path}`);
    const form = new URLSearchParams(raw.toString('utf8'));
    if (form.get('Action') !== 'AssumeRoleWithWebIdentity')
      return err(
        400,
        'InvalidAction',
        `Could not find operation ${form.get('Action')} for version ${form.get('Version')}`,
      );
    if (form.get('Version') !== '2011-06-15')
      return err(400, 'InvalidParameterValue', `Unsupported Version ${form.get('Version')}`);
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const token = form.get('WebIdentityToken') ?? '';
    if (!sessionName || !/^[\w+=,.@-]{2,64}$/.test(sessionName))
      return err(400, 'ValidationError', `Invalid RoleSessionName '${sessionName}'`);
    const expected =
      typeof this.#o.webIdentityToken === 'function' ? this.#o.webIdentityToken() : this.#o.webIdentityToken;
    if (token !== expected)
      return err(
        400,
        'InvalidIdentityToken',
        "Couldn't retrieve verification key from your identity provider, or the token is invalid",
      );
    if (roleArn !== this.#o.roleArn)
      return err(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');

    const now = (this.#o.now ?? Date.now)();
    const c = this.#o.credentials.issueTemporary(this.#o.ttlMs ?? 3_600_000, now);
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const body = `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:default:forwarder</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/${xml(roleName)}/${xml(sessionName)}</Arn>
      <AssumedRoleId>AROAFORWARDERTEST:${xml(sessionName)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>${xml(c.sessionToken)}</SessionToken>
      <SecretAccessKey>${xml(c.secretAccessKey)}</SecretAccessKey>
      <Expiration>${new Date(c.expiresAt).toISOString()}</Expiration>
      <AccessKeyId>${c.accessKeyId}</AccessKeyId>
    </Credentials>
    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/TEST</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;
    return {
      status: 200,
      body,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
      records: [
        { roleArn, roleSessionName: sessionName, accessKeyId: c.accessKeyId, expiresAt: c.expiresAt },
      ],
    };
  }
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function stsError(code: string, message: string, type: 'Sender' | 'Receiver'): string {
  return `<ErrorResponse xmlns="${STS_NS}">
  <Error>
    <Type>${type}</Type>
    <Code>${code}</Code>
    <Message>${xml(message)}</Message>
  </Error>
  <RequestId>${randomUUID()}</RequestId>
</ErrorResponse>
`;
}
