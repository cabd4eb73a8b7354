/**
 * A strict Elasticsearch `_bulk` receiver (Bulk API reference; data streams; security errors),
 * good for OpenSearch too (same API and answers).
 *
 * Serves `POST|PUT /_bulk` and `/{index}/_bulk`. Enforced: credentials when configured — an API
 * key (`Authorization: ApiKey <base64 id:key>`) or Basic — else 401 with ES's
 * `security_exception` body; Content-Type `application/x-ndjson` or `application/json` (406
 * otherwise, ES's words); Content-Encoding gzip, deflate or identity; the body ends with a newline
 * (400 otherwise); each action line names one of index/create/update/delete with a target index
 * (from the line or the path, else 400 action_request_validation_exception); over
 * `maxDecodedBytes` (http.max_content_length, 100 MB) → 413. Per item, as ES answers them (with
 * `errors`, in request order, `status` and `error.type`/`error.reason`): a data stream (a name
 * `logs-*-*`) takes only `create` (400); its documents need `@timestamp` as an ISO date or epoch
 * ms (400 document_parsing_exception); a field seen with one JSON type and later another is a
 * mapping conflict (400 document_parsing_exception, as dynamic mapping fixes a field's type on
 * first sight; nested paths too, with the `logs-*-*` template's ignore_malformed: see `#map`); `itemFault` scripts per-item answers (429 es_rejected_execution_exception, 5xx,
 * mapping errors). Only created documents are recorded. `filter_path` is honoured for the forms
 * `a`, `a.*.b`, `a.*.b.c`, comma-separated.
 *
 * `countOnly` (the bench's sink, so the sink is not what the bench measures): the path, method,
 * credentials, Content-Type, Content-Encoding and final newline are checked as above; the first
 * action line must be an `index` or `create` naming (or taking from the path) an index, and every
 * other line must be byte-equal to it (action, document, action, document…); documents are
 * counted, not parsed (no @timestamp or mapping check), and each is answered 201.
 */
import {
  HttpReceiver,
  header,
  isObject,
  mediaType,
  type ReceivedRequest,
  type ReceiverOptions,
  type Reply,
} from './http-receiver.js';

export type EsDoc = Record<string, unknown>;

export interface ItemFault {
  status: number;
  type: string;
  reason: string;
}

export interface ElasticsearchReceiverOptions extends ReceiverOptions<EsDoc> {
  /** encoded API keys accepted (base64 of id:key) */
  apiKeys?: string[];
  basic?: { user: string; password: string };
  /** an item answer instead of creating this document (its number counts every document received) */
  itemFault?: (doc: EsDoc, n: number) => ItemFault | undefined;
  maxDecodedBytes?: number;
  /** count documents without parsing them (bench): needs keepRecords false and no trackIds */
  countOnly?: boolean;
}

const ND_TYPES = new Set([
  'application/x-ndjson',
  'application/json',
  'application/vnd.elasticsearch+x-ndjson',
]);
const ACTIONS = new Set(['index', 'create', 'update', 'delete']);
const DATA_STREAM = /^logs-[^-]+-[^-]+$/;

function esError(status: number, type: string, reason: string): Reply<EsDoc> {
  return {
    status,
    body: JSON.stringify({ error: { root_cause: [{ type, reason }], type, reason }, status }),
    error: `${type}: ${reason}`,
  };
}

export class ElasticsearchReceiver extends HttpReceiver<EsDoc> {
  protected readonly vendor = 'elasticsearch';
  /** documents received, faulted or not (numbers the itemFault calls) */
  documentsSeen = 0;
  /** item answers by status, other than 201 */
  readonly itemStatuses: Record<number, number> = {};
  /** index → the data stream names created, for the item answers */
  readonly indices = new Set<string>();
  readonly #opts: ElasticsearchReceiverOptions;
  /** field path → JSON type, per index: dynamic mapping fixes it on first sight */
  readonly #mapping = new Map<string, Map<string, string>>();

  constructor(opts: ElasticsearchReceiverOptions = {}) {
    super(opts);
    this.#opts = opts;
    if (opts.countOnly && this.recordsWanted)
      throw new Error(
        'ElasticsearchReceiver: countOnly builds no records: set keepRecords false and no trackIds',
      );
  }

  protected override defaultIdOf(r: EsDoc): number | undefined {
    return typeof r['event.sequence'] === 'number' ? r['event.sequence'] : undefined;
  }

  protected override faultReply(status: number) {
    if (status === 429)
      return {
        body: JSON.stringify({
          error: {
            type: 'es_rejected_execution_exception',
            reason: 'rejected execution of coordinating operation',
          },
          status: 429,
        }),
      };
    return { body: JSON.stringify({ error: { type: 'fault', reason: `fault ${status}` }, status }) };
  }

  protected async handle(req: ReceivedRequest, raw: Buffer, truncated: boolean): Promise<Reply<EsDoc>> {
    const m = /^(?:\/([^/_][^/]*))?\/_bulk$/.exec(req.path);
    if (!m) return esError(404, 'resource_not_found_exception', `no handler for ${req.path}`);
    if (req.method !== 'POST' && req.method !== 'PUT')
      return esError(405, 'method_not_allowed', `Incorrect HTTP method for uri [${req.path}]`);
    const { apiKeys, basic } = this.#opts;
    if (apiKeys || basic) {
      const authz = header(req.headers, 'authorization') ?? '';
      const ok =
        (apiKeys && authz.startsWith('ApiKey ') && apiKeys.includes(authz.slice(7))) ||
        (basic && authz === `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}`);
      if (!ok)
        return esError(
          401,
          'security_exception',
          authz
            ? 'unable to authenticate with provided credentials'
            : 'missing authentication credentials for REST request [/_bulk]',
        );
    }
    const type = mediaType(req.headers);
    if (!ND_TYPES.has(type))
      return {
        status: 406,
        body: JSON.stringify({ error: `Content-Type header [${type}] is not supported`, status: 406 }),
        error: `content-type ${type}`,
      };
    const dec = await this.decode(req, raw, truncated, this.#opts.maxDecodedBytes ?? 100 * 1024 * 1024, [
      'gzip',
      'deflate',
    ]);
    if (!dec.ok) {
      if (dec.reason === 'too_large') return { status: 413, body: '', error: dec.detail };
      return esError(400, 'parse_exception', dec.detail);
    }
    if (this.#opts.countOnly && dec.body.length > 0 && dec.body[dec.body.length - 1] === 10)
      return countDocuments(
        dec.body,
        m[1] ? decodeURIComponent(m[1]) : undefined,
        req.query.get('filter_path'),
      );
    const text = dec.body.toString('utf8');
    if (text.length === 0)
      return esError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
    if (!text.endsWith('\n'))
      return esError(
        400,
        'illegal_argument_exception',
        'The bulk request must be terminated by a newline [\\n]',
      );
    const pathIndex = m[1] ? decodeURIComponent(m[1]) : undefined;
    const lines = text.slice(0, -1).split('\n');
    const items: Record<string, unknown>[] = [];
    const created: EsDoc[] = [];
    let errors = false;
    let lastActionLine: string | undefined;
    let lastAction: unknown;
    for (let i = 0; i < lines.length; ) {
      let action: unknown;
      try {
        // most bulk bodies repeat one action line: parsed once per request
        if (lines[i] === lastActionLine) action = lastAction;
        else {
          action = JSON.parse(lines[i]!);
          lastActionLine = lines[i]!;
          lastAction = action;
        }
      } catch (e) {
        return esError(
          400,
          'x_content_parse_exception',
          `[1:1] Malformed action/metadata line [${i + 1}]: ${(e as Error).message}`,
        );
      }
      if (!isObject(action) || Object.keys(action).length !== 1 || !ACTIONS.has(Object.keys(action)[0]!))
        return esError(400, 'illegal_argument_exception', `Malformed action/metadata line [${i + 1}]`);
      const op = Object.keys(action)[0]!;
      const meta = action[op] as Record<string, unknown>;
      const index = typeof meta?._index === 'string' ? meta._index : pathIndex;
      if (index === undefined)
        return esError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
      i++;
      if (op === 'delete') {
        items.push({ delete: { _index: index, status: 404, result: 'not_found' } });
        continue;
      }
      const source = lines[i++];
      if (source === undefined)
        return esError(400, 'illegal_argument_exception', 'the bulk request ends after an action line');
      const answer = (status: number, error?: { type: string; reason: string }) => {
        if (status !== 201) this.itemStatuses[status] = (this.itemStatuses[status] ?? 0) + 1;
        if (error) errors = true;
        items.push({ [op]: { _index: index, status, ...(error ? { error } : { result: 'created' }) } });
      };
      let doc: unknown;
      try {
        doc = JSON.parse(source);
      } catch (e) {
        answer(400, {
          type: 'document_parsing_exception',
          reason: `failed to parse: ${(e as Error).message}`,
        });
        continue;
      }
      this.documentsSeen++;
      if (!isObject(doc)) {
        answer(400, { type: 'document_parsing_exception', reason: 'the document must be an object' });
        continue;
      }
      const stream = DATA_STREAM.test(index);
      if (stream && op !== 'create') {
        answer(400, {
          type: 'illegal_argument_exception',
          reason: `only write ops with an op_type of create are allowed in data streams`,
        });
        continue;
      }
      const ts = doc['@timestamp'];
      if (stream && (typeof ts === 'string' ? Number.isNaN(Date.parse(ts)) : typeof ts !== 'number')) {
        answer(400, {
          type: 'document_parsing_exception',
          reason: `[1:1] failed to parse: data stream timestamp field [@timestamp] is missing`,
        });
        continue;
      }
      const fault = this.#opts.itemFault?.(doc, this.documentsSeen);
      if (fault) {
        answer(fault.status, { type: fault.type, reason: fault.reason });
        continue;
      }
      const conflict = this.#map(index, doc);
      if (conflict) {
        answer(400, { type: 'document_parsing_exception', reason: conflict });
        continue;
      }
      this.indices.add(index);
      answer(201);
      created.push(doc);
    }
    const filter = req.query.get('filter_path');
    // the filter our drain asks for, written directly (the general one walks every item)
    const response =
      filter === 'errors,items.*.status,items.*.error.type,items.*.error.reason'
        ? { errors, items: items.map(statusAndError) }
        : filterPath({ took: 3, errors, items }, filter);
    return {
      status: 200,
      body: JSON.stringify(response),
      records: created,
      ...(errors ? { error: 'some items failed' } : {}),
    };
  }

  /**
   * Dynamic mapping in miniature, per index: each field path's type is fixed on first sight
   * (dotted keys are paths, as ES expands them; an array takes its elements' type). A string
   * field (keyword) takes numbers and booleans too (ES coerces them); an object where a value was
   * mapped, or the reverse, is refused; any other mismatch is refused too, except in a `logs-*-*`
   * data stream, whose template sets `index.mapping.ignore_malformed` (ES 8.9+), where a number
   * field keeps the document and only the odd value goes unindexed (a boolean field has no
   * ignore_malformed, so it still refuses).
   */
  #map(index: string, doc: Record<string, unknown>): string | undefined {
    let fields = this.#mapping.get(index);
    if (!fields) {
      fields = new Map();
      this.#mapping.set(index, fields);
    }
    const lenient = DATA_STREAM.test(index);
    const known = fields;
    const walk = (o: Record<string, unknown>, prefix: string): string | undefined => {
      for (const [k, raw] of Object.entries(o)) {
        const path = prefix + k;
        // every dotted prefix is an object
        const parts = path.split('.');
        for (let i = 1; i < parts.length; i++) {
          const p = parts.slice(0, i).join('.');
          const t = known.get(p);
          if (t === undefined) known.set(p, 'object');
          else if (t !== 'object') return conflict(p, t, raw);
        }
        const v = Array.isArray(raw) ? raw.find((x) => x !== null) : raw;
        if (v === null || v === undefined) continue;
        const t = isObject(v) ? 'object' : typeof v;
        const was = known.get(path);
        if (was === undefined) known.set(path, t);
        else if (was !== t) {
          const coerced = was === 'string' && (t === 'number' || t === 'boolean');
          const ignored = lenient && was === 'number' && t !== 'object';
          if (!coerced && !ignored) return conflict(path, was, v);
        }
        if (t === 'object') {
          const objects = Array.isArray(raw) ? raw.filter(isObject) : [v as Record<string, unknown>];
          for (const inner of objects) {
            const problem = walk(inner, `${path}.`);
            if (problem) return problem;
          }
        }
      }
      return undefined;
    };
    return walk(doc, '');
  }
}

function conflict(path: string, known: string, v: unknown): string {
  if (known === 'object')
    return `[1:2] object mapping for [${path}] tried to parse field [${path}] as object, but found a concrete value`;
  if (isObject(v))
    return `[1:2] failed to parse field [${path}] of type [${known === 'string' ? 'keyword' : known}] in document. Preview of field's value: '{…}'`;
  return `[1:2] failed to parse field [${path}] of type [${known === 'string' ? 'keyword' : known}] in document. Preview of field's value: '${String(v).slice(0, 40)}'`;
}

/** An item as `items.*.status,items.*.error.type,items.*.error.reason` leaves it. */
function statusAndError(item: Record<string, unknown>): Record<string, unknown> {
  const op = Object.keys(item)[0]!;
  const { status, error } = item[op] as { status: number; error?: { type: string; reason: string } };
  return { [op]: error ? { status, error: { type: error.type, reason: error.reason } } : { status } };
}

/** ES response filtering (all paths at once, as ES filters): `a`, `a.*.b` and `a.*.b.c` forms. */
function filterPath(obj: Record<string, unknown>, spec: string | null): unknown {
  if (!spec) return obj;
  const pick = (value: unknown, paths: string[][]): unknown => {
    if (paths.some((p) => p.length === 0)) return value;
    if (Array.isArray(value)) {
      const out = value.map((v) => pick(v, paths)).filter((v) => v !== undefined);
      return out.length > 0 ? out : undefined;
    }
    if (!isObject(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const rest = paths.filter((p) => p[0] === '*' || p[0] === k).map((p) => p.slice(1));
      if (rest.length === 0) continue;
      const got = pick(v, rest);
      if (got !== undefined) out[k] = got;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  return (
    pick(
      obj,
      spec.split(',').map((p) => p.trim().split('.')),
    ) ?? {}
  );
}

/** count-only mode: action lines all equal to the first (an index or create), documents counted. */
function countDocuments(body: Buffer, pathIndex: string | undefined, filter: string | null): Reply<EsDoc> {
  const firstEnd = body.indexOf(10);
  let action: unknown;
  try {
    action = JSON.parse(body.subarray(0, firstEnd).toString('utf8'));
  } catch (e) {
    return esError(
      400,
      'x_content_parse_exception',
      `[1:1] Malformed action/metadata line [1]: ${(e as Error).message}`,
    );
  }
  const op = isObject(action) && Object.keys(action).length === 1 ? Object.keys(action)[0]! : '';
  if (op !== 'create' && op !== 'index')
    return esError(
      400,
      'illegal_argument_exception',
      'count-only receiver: the first action is not index or create',
    );
  const meta = (action as Record<string, unknown>)[op] as Record<string, unknown> | undefined;
  const index = typeof meta?._index === 'string' ? meta._index : pathIndex;
  if (index === undefined)
    return esError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;');
  let docs = 0;
  let start = 0;
  for (;;) {
    const actionEnd = body.indexOf(10, start);
    if (actionEnd === -1) break;
    if (actionEnd - start !== firstEnd || body.compare(body, 0, firstEnd, start, actionEnd) !== 0)
      return esError(
        400,
        'illegal_argument_exception',
        `count-only receiver: action line of document ${docs + 1} differs from the first`,
      );
    const docEnd = body.indexOf(10, actionEnd + 1);
    if (docEnd === -1)
      return esError(400, 'illegal_argument_exception', 'the bulk request ends after an action line');
    docs++;
    start = docEnd + 1;
  }
  const item =
    filter === 'errors,items.*.status,items.*.error.type,items.*.error.reason'
      ? `{${JSON.stringify(op)}:{"status":201}}`
      : `{${JSON.stringify(op)}:{"_index":${JSON.stringify(index)},"status":201,"result":"created"}}`;
  const head =
    filter === 'errors,items.*.status,items.*.error.type,items.*.error.reason'
      ? '{"errors":false'
      : '{"took":3,"errors":false';
  return { status: 200, body: `${head},"items":[${`${item},`.repeat(docs).slice(0, -1)}]}`, counted: docs };
}
