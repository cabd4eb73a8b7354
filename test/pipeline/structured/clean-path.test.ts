// Issue 17 (performance): a JSON line with no backslash and no control character is scanned with one
// native search per string instead of a per-character loop. Both paths must read every line to the
// same event and the same counts: this runs the pipeline over the structured corpus, the JSON lines
// of the level families and hostile records, once as shipped and once with the clean-line path off.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../../../src/pipeline/event.js';
import type { PipelineStats } from '../../../src/pipeline/pipeline.js';
import {
  JsonRecordScanner,
  keyRole,
  R_NONE,
  ROLE_WORDS,
  roleOf,
} from '../../../src/pipeline/structured/json-record.js';
import { corpusLines } from '../../helpers/corpus-lines.js';
import { testPipeline } from '../../helpers/pipe-lines.js';

const CORPUS = new URL('../../../fixtures/corpus/', import.meta.url);
const NOW = Date.UTC(2024, 4, 14, 9, 30, 0);

const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const hostile = [
  '{}',
  ' {"msg":"leading space"} ',
  '{"msg" : "spaced" , "n" : [ 1 , 2 ] , "o" : { } }',
  '{"msg":"tab\there"}',
  '{\t"msg":"tab between tokens"}',
  '{"msg":"esc \\" quote","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
  '{"msg":"bad \\q escape"}',
  '{"msg":"x"} trailing',
  '{"msg":"x",}',
  '{"msg":"unterminated}',
  '{"msg":"x","n":01}',
  '{"msg":"x","n":-}',
  '{"msg":"x","n":1.}',
  '{"msg":"x","b":tru}',
  '{"msg":"x","a":[1,]}',
  '{"msg":"x","a":[1 2]}',
  '{"msg":"x" "y":1}',
  '{"msg":"first","msg":"second","level":"warn","level":"error"}',
  '{"msg":"ids","trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736"},"span":{"id":"00f067aa0ba902b7"}}',
  '{"msg":"dd","dd":{"trace_id":"1234567890123","span_id":"987654321"}}',
  '{"msg":"tp in text 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}',
  // X-Ray ids in text, in strings of exactly the 40 characters they need: a value, a key, one level down
  '{"msg":"Root=1-5759e988-bd862e3fe1be46a994272793"}',
  '{"msg":"x","Root=1-5759e988-bd862e3fe1be46a994272793":1}',
  '{"msg":"x","a":{"Root=1-5759e988-bd862e3fe1be46a994272793":1}}',
  '{"msg":"x","a":["Root=1-5759e988-bd862e3fe1be46a994272793"]}',
  '{"msg":"x","a":["Root=1-5759e988-bd862e3fe1be46a99427279"]}',
  '{"msg":"boom","err":{"type":"Error","message":"boom","stack":"Error: boom"}}',
  `{"msg":"deep fields","x":${deep(12)}}`,
  `{"msg":"depth bomb","x":${deep(70)}}`,
  `{"msg":"flood",${Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  `{"msg":"wide","a":[${Array.from({ length: 300 }, (_, i) => i).join(',')}]}`,
  '{"msg":"surrogate \ud800 alone","time":"2024-05-14T09:21:07.412Z"}',
  '{"@t":"2024-05-14T09:21:07.4123456Z","@mt":"Order {Id} placed","Id":42}',
];

const lines = [
  ...corpusLines(new URL('structured/', CORPUS)),
  ...corpusLines(new URL('families/', CORPUS)).filter((l) => l.startsWith('{')),
  ...hostile,
];

function read(all: string[]): { events: LogEvent[]; stats: PipelineStats['structured'] } {
  const events: LogEvent[] = [];
  const p = testPipeline(events);
  // one write per line, each closing its group, so that every line is its own event in both runs
  for (const line of all) {
    p.write('stdout', Buffer.from(`${line}\n`), NOW);
    p.endStream('stdout');
  }
  return { events, stats: p.stats.structured };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the clean-line path of the JSON scanner', () => {
  it('reads every corpus and hostile line to the same event and counts as the per-character path', () => {
    const clean = /^[^\x00-\x1f\\]*$/;
    // the comparison means something only if both kinds of line are there
    expect(lines.filter((l) => l.startsWith('{') && clean.test(l)).length).toBeGreaterThan(100);
    expect(lines.filter((l) => l.startsWith('{') && !clean.test(l)).length).toBeGreaterThan(10);

    const fast = read(lines);
    const scan = JsonRecordScanner.prototype.scan;
    const spy = vi.spyOn(JsonRecordScanner.prototype, 'scan').mockImplementation(function (
      this: JsonRecordScanner,
      s: string,
    ) {
      return scan.call(this, s, false);
    });
    const slow = read(lines);
    expect(spy).toHaveBeenCalled();

    expect(fast.events.length).toBe(slow.events.length);
    for (let i = 0; i < fast.events.length; i++) {
      const a = fast.events[i]!;
      const b = slow.events[i]!;
      expect({ ...a, seq: 0 }, b.message).toEqual({ ...b, seq: 0 });
    }
    expect(fast.stats).toEqual(slow.stats);
    expect(fast.stats.json).toBeGreaterThan(100);
  });

  it('keeps the same members, roles and counts as the per-character path', () => {
    const a = new JsonRecordScanner();
    const b = new JsonRecordScanner();
    for (const line of lines.filter((l) => l.startsWith('{'))) {
      const ok = a.scan(line);
      expect(b.scan(line, false), line).toBe(ok);
      expect([a.members, a.membersCut, a.tooDeep], line).toEqual([b.members, b.membersCut, b.tooDeep]);
      if (!ok) continue;
      const n = a.members;
      for (const arr of ['memberStart', 'valueStart', 'valueEnd', 'role', 'deep', 'valuesAfter'] as const)
        expect([...a[arr].subarray(0, n)], `${arr} of ${line}`).toEqual([...b[arr].subarray(0, n)]);
    }
  });
});

describe('the scanner against JSON.parse', () => {
  const isRecord = (line: string): boolean => {
    try {
      const v: unknown = JSON.parse(line);
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    } catch {
      return false;
    }
  };
  // every token of a record with whitespace (the four JSON kinds, and one that is not) around it
  const spaced = (ws: string): string =>
    [
      '{',
      '"msg"',
      ':',
      '"x"',
      ',',
      '"a"',
      ':',
      '[',
      '1',
      ',',
      '{',
      '"b"',
      ':',
      '-2.5e3',
      '}',
      ',',
      '[',
      ']',
      ',',
      '{',
      '}',
      ']',
      '}',
    ]
      .map((t) => ws + t)
      .join('') + ws;

  it('accepts exactly the records JSON.parse accepts, with or without whitespace between tokens', () => {
    const records = [
      ...lines.filter((l) => l.startsWith('{')),
      ...[' ', '\t', '\r', '  \t ', '\v', '\u00a0', '\f'].map(spaced),
      '{"n":-}',
      '{"n":- 1}',
      '{"n":-',
      '{"a":[',
      '{"a":[1',
      '{"a":{"b"',
      '{"a":{"b":',
      '{"a" ',
      '{"a":1 ',
      '{"a":1,',
      '{"a":1, ',
      '{ }',
      '{ } x',
      '{"a":[ ]}',
      '{"a":{ }}',
      '{"a":{"b":1 ,"c" :2 }}',
    ];
    const scanner = new JsonRecordScanner();
    for (const line of records) {
      // a record deeper than HARD_DEPTH is valid JSON the scanner refuses (the depth bomb only)
      const expected = isRecord(line) && !line.includes('depth bomb');
      expect(scanner.scan(line), line).toBe(expected);
      expect(scanner.scan(line, false), line).toBe(expected);
    }
  });
});

describe('the role table', () => {
  it('knows every key the role function reads (a key missing from ROLE_WORDS would never be read)', () => {
    const dir = new URL('../../../fixtures/corpus/structured/', import.meta.url);
    const keys = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')))
      for (const rec of readFileSync(new URL(f, dir), 'utf8').split('\n').filter(Boolean)) {
        const line = (JSON.parse(rec) as { line: string }).line;
        if (!line.startsWith('{')) continue;
        for (const k of Object.keys(JSON.parse(line) as object)) keys.add(k);
      }
    expect(keys.size).toBeGreaterThan(100);
    for (const k of keys) expect(keyRole(k, 0, k.length), k).toBe(roleOf(k, 0, k.length));
  });

  it('lets every role word through to its role, and nothing else with a role-less length and first letter', () => {
    for (const w of ROLE_WORDS) expect(keyRole(w, 0, w.length), w).not.toBe(R_NONE);
    for (const w of [
      'pid',
      'hostname',
      'reqId',
      'caller',
      'responseTime',
      'x',
      'a_very_long_key_name_past_the_table_length',
    ])
      expect(keyRole(w, 0, w.length), w).toBe(R_NONE);
  });
});
