// Issue 17 (performance): the logfmt lines of a reading batch are scanned by the WebAssembly module
// (assembly/logfmt-scan.ts, in the JSON scan's module) instead of LogfmtReader.read(). Both must read
// every line alike: the same answer, pairs, quoted flags, roles and counts from the reader, the same
// events and counts from the pipeline, over every logfmt-looking line of fixtures/corpus/** and hostile
// lines; the lines the module does not take (structlog's repr values, too long) are read by the JS scan.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { R_LEVEL, R_MSG, R_TIME, R_TIME_TEXT } from '../../../src/pipeline/structured/json-record.js';
import { WASM_MAX_LINE, WasmJsonScan } from '../../../src/pipeline/structured/json-scan-wasm.js';
import { LogfmtReader, looksLikeLogfmt, MAX_LOGFMT_PAIRS } from '../../../src/pipeline/structured/logfmt.js';
import { WasmLogfmtScan } from '../../../src/pipeline/structured/logfmt-scan-wasm.js';
import { TimeReader } from '../../../src/pipeline/structured/time.js';
import { mayHoldIds } from '../../../src/pipeline/structured/trace-ids.js';
import { corpusLines } from '../../helpers/corpus-lines.js';
import { expectSameRuns, pipeLines } from '../../helpers/pipe-lines.js';

const CORPUS = new URL('../../../fixtures/corpus/', import.meta.url);
const NOW = Date.UTC(2024, 4, 14, 9, 30, 0);

const pairs = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}=${i}`).join(' ');
const hostile = [
  'a=1 b=2',
  'a=1',
  'a= b=',
  'a=1  b=2\t c=3\r',
  ' a=1 b=2',
  'a=1 b=2 ',
  'level=info msg="quoted value" status=200',
  'level=info msg="escaped \\" quote \\\\ and \\n" x=1',
  'level=info msg="backslash at the end \\',
  'level=info msg="unterminated',
  'level=info msg="x"y z=1',
  'level=info msg=a=b',
  'level=info msg=a"b',
  'level=info msg=""',
  'level=info msg="" x=',
  'user=alice logged in',
  'a=1 =2',
  'a=1 b',
  'a=1 b=2 k€y=3',
  'msg="naïve café ✓ 日本語" level=info ключ=1',
  'msg="surrogate \ud800 alone" level=info',
  'msg="nul \u0000 inside" level=info',
  'msg=x\u0000 level=info',
  "event='user logged in' level='info' logger='app'",
  "level=info event='x' data={'a': 1, 'b': [1, 2]}",
  "level=info msg=it's x=1",
  'level=info msg="it\'s" x=1',
  'dd.trace_id=1234 dd.span_id=5678 trace.id=abc @timestamp=2024-05-14T09:21:07Z t=2024-05-14T09:21:07Z',
  'AWS-XRAY-TRACE-ID=Root=1-5759e988-bd862e3fe1be46a994272793 level=info',
  'time=2024-05-14T09:21:07.412Z level=info msg="request 1" method=GET path=/orders status=200',
  `${pairs(300)}`,
  `${pairs(255)} level=warn msg=last`,
  `${pairs(256)} level=warn msg="past the cap"`,
  `${pairs(255)} x='repr past the cap'`,
  `${pairs(256)} x='repr past the cap'`,
  `msg="long value" pad=${'x'.repeat(5000)}`,
  `msg="too long for the module" pad=${'y'.repeat(WASM_MAX_LINE)}`,
  `${'k'.repeat(40)}=long level=info`,
  // fields text: Latin-1 kept by the module, control characters and wider characters left to the JS side
  'level=info msg=x v="latin1 é ü ÿ \u00a0" w=',
  'level=info msg=x v="tab	inside"',
  'level=info msg=x v=ctl',
  'level=info msg=x v="wide €"',
  'level=info msg=x v="pair 😀"',
  // the module copies 16 characters at a time: what needs escaping past the first 16, at the 16th, at the end
  `level=info msg=x v="${'a'.repeat(20)}\u0001${'b'.repeat(20)}" w=1`,
  `level=info msg=x v=${'a'.repeat(15)}\u00e9 w=${'c'.repeat(31)}€`,
  `level=info msg=x v="${'a'.repeat(16)}\t" w=${'d'.repeat(47)}`,
  `level=info msg=x ${'k'.repeat(33)}=${'v'.repeat(33)} z=${'y'.repeat(64)}`,
  'time=2024-05-14T09:21:07Z level=info msg=only-taken-pairs',
  'level=info msg=x empty= quoted="" esc="a\\b"',
  // trace ids in the text: the module's gate must let each through
  'level=info msg="tp 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" x=1',
  'level=info msg=x traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  'level=info msg=x xray=Root=1-5759e988-bd862e3fe1be46a994272793',
  'level=info msg="req trace_id=4bf92f3577b34da6a3ce929d0e0e4736 done" x=1',
  'level=info msg=x my_trace_id=abc a_b=1',
  'level=info msg=x 00-=1 -1 _id= trace_i=1',
  'time=2000-01-01T00:00:00Z level=info msg="a date with 00-"',
  // times: those the module reads (RFC 3339 with a zone) and those it leaves to time.ts textTime()
  ...[
    '2024-05-14T09:21:07Z',
    '2024-05-14t09:21:07z',
    '2024-05-14T09:21:07.4Z',
    '2024-05-14T09:21:07,41Z',
    '2024-05-14T09:21:07.412345678Z',
    '2024-05-14T09:21:07.412+02:00',
    '2024-05-14T09:21:07-0530',
    '2024-05-14T09:21:07+02',
    '2024-05-14T09:21:07+02:',
    '2024-05-14T09:21:07+02:0',
    '2024-05-14T09:21:07+19:00',
    '2024-05-14T09:21:07+05:99',
    '2024-05-14T09:21Z',
    '2024-05-14T09:21:60Z',
    '2024-05-14T09:21:61Z',
    '2024-05-14T09:21:07.Z',
    '2024-05-14T09:21:07',
    '2024-05-14T09:21:07.412',
    '2024-05-14T09:21:0Z',
    '2024-05-14T24:00:00Z',
    '2024-13-14T09:21:07Z',
    '2024-02-31T09:21:07Z',
    '0000-01-01T00:00:00Z',
    '0000-03-01T00:00:00Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59Z',
    '2024-05-14T09:21:07Zx',
    '2024-05-14T09:21:07+0200[Europe/Paris]',
    '2024-05-14x09:21:07Z',
    '14/May/2024:09:21:07',
    '1715678467.412',
    'yesterday',
  ].flatMap((t) => [
    `time=${t} level=info msg=x`,
    `level=info ts="${t}" msg=x`,
    `t=${t} @timestamp="${t.replace('T', ' ')}" msg=x`,
  ]),
  // keys at one place changing from line to line (the module keeps the key read last at each of the
  // first places, with its role): a unit changed at each end, a key one unit longer or shorter, over 8 units
  'level=info msg=x span_id=1',
  'levem=info msg=x span_id=1',
  'Level=info msgs=x span_idx=1',
  'levels=info ms=x spanid=1',
  'level=info msg=x traceid=1 span_id=1',
  'duration=1 message=x trace_id=1',
  'duratioN=1 messagez=x trace_iD=1',
  'timestamp=2024-05-14T09:21:07Z message=x trace_id=1',
  'timestamP=2024-05-14T09:21:07Z messages=x',
  'timestamp=2024-05-14T09:21:07Z message=x',
  // … and its `=` (a key there read without a search): a key going on past it, ending the line, shorter
  'level=info msg=x',
  'levelx=info msg=x',
  'level=info msg',
  'level=info msg=',
  'level=info ms',
  'lev=info msg=x',
  'level=info msg=x',
  'level=info time="2024-05-14 09:21:07 +0200 CEST" msg=x',
  'level=info time="2024-05-14 09:21:07.412 UTC" msg=x',
  'level=info time="2024-05-14T09:21:07\\Z" msg=x',
];

const corpus = corpusLines(CORPUS);
const logfmt = [...corpus.filter((l) => looksLikeLogfmt(l, l.charCodeAt(0))), ...hostile];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the WebAssembly logfmt scan', () => {
  it('is there, in the JSON scan module: the comparisons below mean something', () => {
    expect(WasmJsonScan.create([], () => 0, 288, [], [])).toBeDefined();
    expect(
      WasmLogfmtScan.of(WasmJsonScan.create([], () => 0, 288, [], [])!, MAX_LOGFMT_PAIRS, [R_TIME]),
    ).toBeDefined();
    expect(logfmt.length).toBeGreaterThan(100);
  });

  it('gives the same answer, pairs, quoted flags, roles and counts as LogfmtReader.read()', () => {
    const pipelineReader = readerOfPipeline();
    const js = new LogfmtReader();
    let taken = 0;
    let read = 0;
    let gateOpen = 0;
    let timesScanned = 0;
    const times = new TimeReader();
    for (let b = 0; b < logfmt.length; b += 256) {
      const batch = logfmt.slice(b, b + 256);
      pipelineReader.json.begin();
      const at = batch.map((s) => pipelineReader.json.add(s));
      pipelineReader.json.commit();
      batch.forEach((line, i) => {
        if (at[i]! >= 0) taken++;
        const w = pipelineReader.lf;
        const ok = w.readAt(line, at[i]!);
        expect(js.read(line), line).toBe(ok);
        if (!ok) return;
        read++;
        expect([w.count, w.cut, w.singleQuoted], line).toEqual([js.count, js.cut, js.singleQuoted]);
        const n = w.count;
        for (const arr of ['keyStart', 'keyEnd', 'valueStart', 'valueEnd', 'quoted', 'role'] as const)
          expect([...w[arr].subarray(0, n)], `${arr} of ${line}`).toEqual([...js[arr].subarray(0, n)]);
        for (let m = 0; m < n; m++) {
          expect(w.value(line, m), line).toBe(js.value(line, m));
          // a time the module read as it scanned: what textTime() reads there
          const role = w.role[m];
          if ((role !== R_TIME && role !== R_TIME_TEXT) || Number.isNaN(w.scannedTime(m))) continue;
          timesScanned++;
          expect(w.scannedTime(m), line).toBe(times.textTime(line, w.valueStart[m]!, w.valueEnd[m]!));
        }
        expect(Number.isNaN(js.scannedTime(0)), line).toBe(true);
        // the module's trace id gate: false only where the JS one is false from the line's start
        if (!w.mayHoldIds) expect(mayHoldIds(line, true, 0), line).toBe(false);
        else if (at[i]! >= 0) gateOpen++;
      });
    }
    // all but the one line over WASM_MAX_LINE
    expect(taken).toBe(logfmt.length - 1);
    expect(read).toBeGreaterThan(80);
    expect(gateOpen).toBeGreaterThanOrEqual(6);
    expect(timesScanned).toBeGreaterThan(40);
  });

  it('tells roles from the same table as the JSON scan', () => {
    const { lf, json } = readerOfPipeline();
    const line = 'time=2024-05-14T09:21:07Z level=info msg=x other=1';
    json.begin();
    const at = json.add(line);
    json.commit();
    expect(lf.readAt(line, at)).toBe(true);
    expect([...lf.role.subarray(0, 4)]).toEqual([R_TIME, R_LEVEL, R_MSG, 0]);
  });
});

/** The reader and JSON scan a pipeline's StructuredReader makes (the role table written from ROLE_WORDS). */
function readerOfPipeline(): { lf: LogfmtReader; json: WasmJsonScan } {
  let made: WasmJsonScan | undefined;
  const create = WasmJsonScan.create.bind(WasmJsonScan);
  vi.spyOn(WasmJsonScan, 'create').mockImplementation((...args) => {
    made = create(...args);
    return made;
  });
  pipe(['{"msg":"makes the module","level":"info"}']);
  vi.restoreAllMocks();
  const lf = new LogfmtReader();
  lf.useWasm(WasmLogfmtScan.of(made!, MAX_LOGFMT_PAIRS, [R_TIME, R_TIME_TEXT])!);
  return { lf, json: made! };
}

const pipe = (lines: string[]) => pipeLines(lines, NOW);

describe('the pipeline with the WebAssembly logfmt scan', () => {
  it('reads every logfmt-looking corpus line and hostile line to the same events and counts as with the JS scan', () => {
    // each line after a JSON line, so that it is read in a batch (a lone text line is read at once)
    const lines = logfmt.flatMap((l) => ['{"msg":"batch","level":"info"}', l]);
    const of = vi.spyOn(WasmLogfmtScan, 'of');
    const withWasm = pipe(lines);
    expect(of.mock.results.some((r) => r.value !== undefined)).toBe(true);
    of.mockReturnValue(undefined);
    const jsOnly = pipe(lines);

    expectSameRuns(withWasm, jsOnly);
    expect(withWasm.stats.logfmt).toBeGreaterThan(80);
    expect(withWasm.stats.fieldsCut).toBeGreaterThan(0);
  });
});
