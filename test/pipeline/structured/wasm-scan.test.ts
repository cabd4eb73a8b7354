// Issue 17 (performance): the single-line JSON records of a reading batch are scanned by a WebAssembly
// module (assembly/json-scan.ts) instead of the JS scan. Both must read every line alike: the same
// members, roles, nesting and counts from the scanner (and the module's reading of id values' hex
// class and of number times, which the JS side then skips), the same events and counts from the pipeline,
// over every JSON line of fixtures/corpus/** and hostile records; the lines the module does not take
// (too long, a full input area, more members than it records) are read by the JS scan.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogEvent } from '../../../src/pipeline/event.js';
import {
  JsonRecordScanner,
  R_LEVEL,
  R_MSG,
  R_SPAN,
  R_TIME,
  R_TRACE,
  ROLE_WORDS,
} from '../../../src/pipeline/structured/json-record.js';
import { WASM_MAX_LINE, WasmJsonScan } from '../../../src/pipeline/structured/json-scan-wasm.js';
import { emptyStructuredStats, StructuredReader } from '../../../src/pipeline/structured/reader.js';
import { corpusLines } from '../../helpers/corpus-lines.js';
import { expectSameRuns, pipeLines } from '../../helpers/pipe-lines.js';

const CORPUS = new URL('../../../fixtures/corpus/', import.meta.url);
const NOW = Date.UTC(2024, 4, 14, 9, 30, 0);

const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const members = (n: number, prefix = 'k'): string =>
  Array.from({ length: n }, (_, i) => `"${prefix}${i}":${i}`).join(',');
const hostile = [
  '{}',
  '{ }',
  ' {"msg":"leading space"} ',
  '{"msg" : "spaced" , "n" : [ 1 , 2 ] , "o" : { } }',
  '{\t"msg":"tab between tokens"}\r',
  '{"msg":"tab\there"}',
  '{"msg":"esc \\" quote \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
  '{"ms\\u0067":"escaped key: no role","level":"info"}',
  '{"":"empty key","msg":"x"}',
  '{"msg":"bad \\q escape"}',
  '{"msg":"bad \\u12g4 escape"}',
  '{"msg":"short \\u12"}',
  '{"msg":"nul \u0000 inside"}',
  '{"msg":"x"}\u0000',
  '{"msg":"x"} trailing',
  '{"msg":"x",}',
  '{"msg":"unterminated}',
  '{"msg":"x","n":01}',
  '{"msg":"x","n":-}',
  '{"msg":"x","n":1.}',
  '{"msg":"x","n":1e}',
  '{"msg":"x","n":-0.5E+12,"m":0,"o":1e-7}',
  '{"msg":"x","b":tru}',
  '{"msg":"x","b":true,"c":false,"d":null}',
  '{"msg":"x","b":fals}',
  '{"msg":"x","b":nul',
  '{"msg":"x","a":[1,]}',
  '{"msg":"x","a":[1 2]}',
  '{"msg":"x" "y":1}',
  '{"msg":"x"',
  '{"msg":',
  '{',
  '{"msg":"first","msg":"second","level":"warn","level":"error"}',
  '{"msg":"ids","trace":{"id":"4bf92f3577b34da6a3ce929d0e0e4736"},"span":{"id":"00f067aa0ba902b7"}}',
  '{"msg":"tp in text 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}',
  '{"msg":"x","Root=1-5759e988-bd862e3fe1be46a994272793":1}',
  '{"msg":"x","a":["Root=1-5759e988-bd862e3fe1be46a994272793"]}',
  '{"msg":"boom","err":{"type":"Error","message":"boom","stack":"Error: boom"}}',
  '{"msg":"naïve café ✓ 日本語","level":"info","ключ":"значение"}',
  '{"msg":"surrogate \ud800 alone","time":"2024-05-14T09:21:07.412Z"}',
  '{"@t":"2024-05-14T09:21:07.4123456Z","@mt":"Order {Id} placed","Id":42}',
  `{"msg":"deep fields","x":${deep(8)},"y":${deep(9)}}`,
  `{"msg":"depth bomb","x":${deep(70)}}`,
  `{"msg":"deep at the edge","x":${deep(63)}}`,
  `{"msg":"deep past the edge","x":${deep(64)}}`,
  `{"msg":"flood",${members(300)}}`,
  `{"msg":"exactly 256",${members(255)}}`,
  `{${members(256)},"msg":"role past the cap","level":"warn"}`,
  `{"msg":"wide","a":[${Array.from({ length: 300 }, (_, i) => i).join(',')}]}`,
  `{"msg":"long string","s":"${'x'.repeat(5000)}"}`,
  `{"msg":"too long for the module","s":"${'y'.repeat(WASM_MAX_LINE)}"}`,
  `{"${'k'.repeat(40)}":"a long key","msg":"x"}`,
  // id values whose hex class the module reads (json-scan.ts HEX): every case of trace-ids.ts hexId()
  '{"msg":"ids","trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00F067AA0BA902B7"}',
  '{"msg":"ids","traceId":"4bf92f3577b34DA6a3ce929d0e0e4736","spanId":"00f067aa0ba902B7"}',
  '{"msg":"ids","trace_id":"00000000000000000000000000000000","span_id":"0000000000000000"}',
  '{"msg":"ids","trace_id":"0000000000000000","span_id":"0000000000000001"}',
  '{"msg":"ids","trace_id":"4bf92f3577b34da6a3ce929d0e0e473g","span_id":"00f067aa0ba902b:"}',
  '{"msg":"ids","trace_id":"4bf92f3577b34da6/3ce929d0e0e4736","span_id":"@0f067aa0ba902b7"}',
  '{"msg":"ids","trace_id":"4bf92f3577b34da6a3ce929d0e0e4\u0041","span_id":"00f067aa0ba9\u00412"}',
  '{"msg":"ids","trace_id":"\u00e94bf92f3577b34da6a3ce929d0e0e","span_id":"`0f067aa0ba902bG"}',
  '{"msg":"ids","trace_id":"4bf92f3577b34da6","span_id":"1234567890123456"}',
  '{"msg":"ids","trace_id":"4bf92f3577b34da6a3ce929d0e0e47361","span_id":"00f067aa0ba902b"}',
  '{"msg":"ids","trace_id":"1234567890123456789","dd.span_id":"12345678901234567"}',
  '{"msg":"ids","trace_id":12345678901234567890,"span_id":1234567890123456}',
  '{"msg":"ids","span_id":"4bf92f3577b34da6a3ce929d0e0e4736","trace_id":"00f067aa0ba902b7"}',
  '{"msg":"ids","trace_id":"ÿbf92f3577b34da6a3ce929d0e0e4736","span_id":"ā0f067aa0ba902b7"}',
  // number times the module reads (json-scan.ts TIME) and those it leaves to #timeOf(), near NOW
  ...[
    '1715678467.412345',
    '1715678467.41',
    '1715678467.4',
    '1715678467',
    '1715678467412',
    '1715678467412345',
    '171567846741234',
    '1715678467412345678',
    '1.715678467412e9',
    '1715678467.412e0',
    '1715678467E0',
    '17156784670.41',
    '171567846704.1',
    '12.5',
    '999999999.5',
    '1000000000',
    '0',
    '-1715678467.412',
    '"1715678467.412"',
    '{"$date":1715678467412}',
    // the module reads an integer part 4 digits at a time: every place its end may fall
    '1715678467412e0',
    '1715678467412.5',
    '17156784.5',
    '1234567890123456789012',
    '0.5',
    '1715678467.0001',
    '1715678467.',
    '17156784674.',
    '1715678467412345.25',
    '1715678467-',
  ].flatMap((t) => [`{"level":"info","ts":${t},"msg":"zap time"}`, `{"msg":"pino time","time":${t}}`]),
];

/** An id value's hex class as json-scan.ts HEX tells it: 0 not all hex, else 1 | 2 (not all 0) | 4 (upper case). */
function hexClassOf(v: string): number {
  if (!/^[0-9a-fA-F]+$/.test(v)) return 0;
  return 1 | (/[^0]/.test(v) ? 2 : 0) | (/[A-F]/.test(v) ? 4 : 0);
}

const corpus = corpusLines(CORPUS);
const json = [...corpus.filter((l) => l.startsWith('{')), ...hostile];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the WebAssembly JSON scan', () => {
  it('is there (Node 20 has WebAssembly and its SIMD): the comparisons below mean something', () => {
    expect(new JsonRecordScanner().wasm).toBe(true);
    expect(new JsonRecordScanner(false).wasm).toBe(false);
    expect(json.length).toBeGreaterThan(300);
  });

  it('is made at the first batch, not before: a pipeline that reads no JSON compiles nothing', () => {
    const created = vi.spyOn(WasmJsonScan, 'create');
    const scanner = new JsonRecordScanner();
    expect(scanner.scan('{"msg":"the JS scan, before any batch","level":"info"}')).toBe(true);
    expect(created).not.toHaveBeenCalled();
    scanner.begin();
    expect(created).toHaveBeenCalledTimes(1);
    const at = scanner.add('{"msg":"from the module","level":"info"}');
    scanner.commit();
    expect(at).toBeGreaterThanOrEqual(0);
    expect(scanner.scanAt('{"msg":"from the module","level":"info"}', at)).toBe(true);
    expect([scanner.members, scanner.role[0], scanner.role[1]]).toEqual([2, R_MSG, R_LEVEL]);
    scanner.begin();
    expect(created).toHaveBeenCalledTimes(1);
    // in the pipeline: batches of ISO-time lines (read in batches too) make none; a JSON line does
    created.mockClear();
    pipe(['2024-05-14T09:21:07Z INFO one', '2024-05-14T09:21:08Z INFO two', 'plain three']);
    expect(created).not.toHaveBeenCalled();
    expect(pipe(['2024-05-14T09:21:07Z INFO one', '{"msg":"json","level":"warn"}']).stats.json).toBe(1);
    expect(created).toHaveBeenCalledTimes(1);
  });

  it('gives the same members, roles, nesting and counts as the JS scan, clean path or not', () => {
    const w = new JsonRecordScanner();
    const js = new JsonRecordScanner(false);
    const slow = new JsonRecordScanner(false);
    let taken = 0;
    let ids = 0;
    let times = 0;
    // batches of 256, as the pipeline hands them
    for (let b = 0; b < json.length; b += 256) {
      const batch = json.slice(b, b + 256);
      w.begin();
      const at = batch.map((s) => w.add(s));
      w.commit();
      batch.forEach((line, i) => {
        if (at[i]! >= 0) taken++;
        const ok = w.scanAt(line, at[i]!);
        expect(js.scan(line), line).toBe(ok);
        expect(slow.scan(line, false), line).toBe(ok);
        // a line that is not read as JSON: only why (depth bomb or invalid) counts
        expect(w.tooDeep, line).toBe(js.tooDeep);
        if (!ok) return;
        expect([w.members, w.membersCut], line).toEqual([js.members, js.membersCut]);
        expect(w.longestString, line).toBe(js.longestString);
        const n = w.members;
        for (const arr of ['memberStart', 'valueStart', 'valueEnd', 'role', 'deep', 'valuesAfter'] as const)
          expect([...w[arr].subarray(0, n)], `${arr} of ${line}`).toEqual([...js[arr].subarray(0, n)]);
        for (let m = 0; m < n; m++) {
          expect(w.text(line, m), line).toBe(js.text(line, m));
          expect(js.hexClass(m), line).toBe(255);
          // an id's hex class, read by the module, says what reading the value says
          // (only an id's is read: another member's is whatever was there)
          const vs = w.valueStart[m]!;
          if (w.role[m] === R_TRACE || w.role[m] === R_SPAN) {
            const k = w.hexClass(m);
            const len = w.valueEnd[m]! - vs - 2;
            const quoted = line.charCodeAt(vs) === 34;
            expect(k, line).toBe(
              quoted && (len === 16 || len === 32) ? hexClassOf(line.slice(vs + 1, vs + 1 + len)) : 255,
            );
            if (k !== 255) ids++;
          }
          // a number time read by the module: the event tests below hold it to #timeOf()'s reading
          expect(js.numberTime(m), line).toBe(-1);
          if (w.role[m] === R_TIME && line.charCodeAt(vs) === 45) expect(w.numberTime(m), line).toBe(-1);
          if (w.role[m] === R_TIME && w.numberTime(m) !== -1) times++;
        }
      });
    }
    // all but the one line over WASM_MAX_LINE
    expect(taken).toBe(json.length - 1);
    expect(ids).toBeGreaterThan(30);
    expect(times).toBeGreaterThan(50);
  });

  it('leaves to the JS scan what does not fit its input area, and reads it alike', () => {
    const w = new JsonRecordScanner();
    const js = new JsonRecordScanner(false);
    const big = Array.from(
      { length: 256 },
      (_, i) => `{"msg":"line ${i}","pad":"${'p'.repeat(1500)}","n":${i}}`,
    );
    w.begin();
    const at = big.map((s) => w.add(s));
    w.commit();
    expect(at.filter((a) => a < 0).length).toBeGreaterThan(50);
    expect(at.filter((a) => a >= 0).length).toBeGreaterThan(100);
    big.forEach((line, i) => {
      expect(w.scanAt(line, at[i]!)).toBe(true);
      js.scan(line);
      expect([...w.valueEnd.subarray(0, w.members)]).toEqual([...js.valueEnd.subarray(0, js.members)]);
    });
  });

  it('tells every role word, and every key one unit off one, as the JS scan does', () => {
    // the module compares a key with a word 4 units at a time (the last 4 overlapping): every word,
    // each with one unit changed at each place, one unit short and one long, as keys of one record
    const keys = new Set<string>();
    for (const w of ROLE_WORDS) {
      keys.add(w);
      keys.add(w.slice(0, -1));
      keys.add(`${w}s`);
      keys.add(`x${w}`);
      for (let i = 0; i < w.length; i++)
        keys.add(`${w.slice(0, i)}${w[i] === 'q' ? 'r' : 'q'}${w.slice(i + 1)}`);
    }
    const w = new JsonRecordScanner();
    const js = new JsonRecordScanner(false);
    const all = [...keys];
    let roles = 0;
    for (let k = 0; k < all.length; k += 200) {
      const line = `{${all
        .slice(k, k + 200)
        .map((key, i) => `${JSON.stringify(key)}:${i}`)
        .join(',')}}`;
      w.begin();
      const at = w.add(line);
      w.commit();
      expect(at).toBeGreaterThanOrEqual(0);
      expect(w.scanAt(line, at)).toBe(true);
      expect(js.scan(line)).toBe(true);
      expect([...w.role.subarray(0, w.members)], line).toEqual([...js.role.subarray(0, js.members)]);
      roles += [...js.role.subarray(0, js.members)].filter((r) => r !== 0).length;
    }
    expect(roles).toBeGreaterThan(ROLE_WORDS.length - 10);
  });

  it('knows every word the role function reads (its table is made from ROLE_WORDS)', () => {
    // a word roleOf() reads but ROLE_WORDS lacks could share a length and first letter with one that
    // is there: keyRole() would then find its role and the module would not
    const source = readFileSync(
      new URL('../../../src/pipeline/structured/json-record.ts', import.meta.url),
      'utf8',
    );
    const read = [...source.matchAll(/is\(s, ks, '([^']+)'\)/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(100);
    for (const w of read) expect(ROLE_WORDS, w).toContain(w);
  });
});

describe('the WebAssembly scan shared by the scanners of a process', () => {
  it('is one instance: each scanner reads its own batch, by the JS scan once another replaced it', () => {
    const a = new JsonRecordScanner();
    const b = new JsonRecordScanner();
    const js = new JsonRecordScanner(false);
    a.begin();
    b.begin();
    expect(a.wasmScan!.exports).toBe(b.wasmScan!.exports);
    const lineA =
      '{"level":"info","ts":1715678467.412,"msg":"from a","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}';
    const lineB =
      '{"msg":"from b, a longer line that lies where the first one did","level":"warn","n":[1,2,3]}';
    const atA = a.add(lineA);
    a.commit();
    expect(a.wasmScan!.holds()).toBe(true);
    const atB = b.add(lineB);
    b.commit();
    expect([atA, atB]).toEqual([0, 0]);
    expect([a.wasmScan!.holds(), b.wasmScan!.holds()]).toEqual([false, true]);
    for (const [scanner, line, at] of [
      [a, lineA, atA],
      [b, lineB, atB],
    ] as const) {
      expect(scanner.scanAt(line, at)).toBe(true);
      expect(js.scan(line)).toBe(true);
      const n = js.members;
      expect(scanner.members).toBe(n);
      for (const arr of ['memberStart', 'valueStart', 'valueEnd', 'role'] as const)
        expect([...scanner[arr].subarray(0, n)], `${arr} of ${line}`).toEqual([...js[arr].subarray(0, n)]);
    }
  });

  it('gives readers whose batches were loaded one over the other the events each reads alone', () => {
    // JSON records and logfmt lines (both read through the module's memory), a batch each
    const one = (l: string) => !l.includes('\n');
    const json1 = json.filter(one);
    const logfmt = corpus.filter((l) => one(l) && /^[a-z_]+=/.test(l));
    const first = [...json1.slice(0, 180), ...logfmt.slice(0, 76)];
    const second = [...logfmt.slice(76, 126), ...json1.slice(180, 386)];
    const events = (batch: string[]) =>
      batch.map((l, i) => new LogEvent(NOW, l, 30, 'stdout', i, undefined, undefined, NOW));
    const ones = new Int32Array(256).fill(1);
    const alone = (batch: string[]) => {
      const r = new StructuredReader(emptyStructuredStats());
      const evs = events(batch);
      r.load(evs, ones, evs.length);
      for (let i = 0; i < evs.length; i++) r.read(evs[i]!, 1, 0, i);
      return { evs, stats: r.stats };
    };
    const expected = [alone(first), alone(second)];
    const r1 = new StructuredReader(emptyStructuredStats());
    const r2 = new StructuredReader(emptyStructuredStats());
    const e1 = events(first);
    const e2 = events(second);
    r1.load(e1, ones, e1.length);
    r2.load(e2, ones, e2.length);
    for (let i = 0; i < e1.length; i++) r1.read(e1[i]!, 1, 0, i);
    for (let i = 0; i < e2.length; i++) r2.read(e2[i]!, 1, 0, i);
    expect(e1).toEqual(expected[0]!.evs);
    expect(e2).toEqual(expected[1]!.evs);
    expect([r1.stats, r2.stats]).toEqual([expected[0]!.stats, expected[1]!.stats]);
    expect(r1.stats.json).toBeGreaterThan(100);
    expect(Math.min(r1.stats.logfmt, r2.stats.logfmt)).toBeGreaterThan(10);
  });
});

const pipe = (lines: string[]) => pipeLines(lines, NOW);

describe('the pipeline with the WebAssembly scan', () => {
  it('reads every corpus line (JSON or not) and hostile record to the same events and counts as with the JS scan', () => {
    const lines = [...corpus, ...hostile];
    const created = vi.spyOn(WasmJsonScan, 'create');
    const withWasm = pipe(lines);
    expect(created.mock.results.some((r) => r.value !== undefined)).toBe(true);
    created.mockReturnValue(undefined);
    const jsOnly = pipe(lines);

    expectSameRuns(withWasm, jsOnly);
    expect(withWasm.stats.json).toBeGreaterThan(200);
    // the number times above, read by the module: the app's time where #timeOf() reads one
    const own = withWasm.events.filter((e) => e.message.endsWith(' time') && e.timestamp !== NOW);
    expect(own.length).toBeGreaterThan(14);
    expect(withWasm.stats.tooDeep).toBeGreaterThan(0);
    expect(withWasm.stats.invalid).toBeGreaterThan(10);
  });
});
