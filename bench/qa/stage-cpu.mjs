// Level and multi-line stage cost in CPU time (process.cpuUsage), for builds side by side: on a
// loaded machine wall-clock stage figures swing by 2-3x between runs, CPU time much less. Each build's
// LevelDetector and MultilineGrouper run alternately in one process over the same input (the shared
// and extra level corpora, the multi-line corpora and app lines shaped like fixtures/apps/lines.mjs).
//
// Run (after `npm run build` in each root): node bench/qa/stage-cpu.mjs [root …]   (default: this checkout)
// Prints per root: level and multiline ns/line, median of the rounds after two warm-up rounds, and min.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const here = new URL('../../', import.meta.url).pathname;
const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2).map((r) => resolve(r)) : [here];
const ROUNDS = Number(process.env.ROUNDS ?? 16);
const N = 200_000;

const builds = [];
for (const root of roots) {
  const detect = await import(`${root}/dist/pipeline/formats/detect.js`);
  const multiline = await import(`${root}/dist/pipeline/multiline.js`);
  builds.push({ root, detect, multiline, level: [], group: [] });
}

const lines = [];
const corpus = `${here}fixtures/corpus/`;
for (const f of [
  'levels.shared.jsonl',
  'levels.extra.jsonl',
  'multiline.shared.jsonl',
  'multiline.extra.jsonl',
]) {
  for (const row of readFileSync(`${corpus}${f}`, 'utf8').split('\n')) {
    if (row.trim() === '') continue;
    const rec = JSON.parse(row);
    if (typeof rec.line === 'string') lines.push(rec.line);
    else lines.push(...rec.lines);
  }
}
for (let i = 0; i < 3000; i++) {
  const ms = String(i % 1000).padStart(3, '0');
  lines.push(
    `2024-05-14T09:21:07.${ms}Z INFO request handled path=/api/v1/items/${i} status=200 duration_ms=${i % 97}`,
  );
}
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const input = Array.from({ length: N }, (_, i) => lines[(i * 7919) % lines.length].replace(ANSI, ''));

function cpuNs(fn) {
  const t = process.cpuUsage();
  fn();
  const u = process.cpuUsage(t);
  return ((u.user + u.system) * 1000) / N;
}

let sink = 0;
for (let r = 0; r < ROUNDS; r++) {
  for (const b of r % 2 ? builds : [...builds].reverse()) {
    const d = new b.detect.LevelDetector();
    const levels = new Array(N);
    b.level.push(
      cpuNs(() => {
        for (let i = 0; i < N; i++) levels[i] = input[i].length === 0 ? 0 : d.detect(input[i]);
      }),
    );
    const g = new b.multiline.MultilineGrouper({
      timeoutMs: 1000,
      maxBytes: 1 << 20,
      maxLines: 1000,
      emit: () => sink++,
    });
    b.group.push(
      cpuNs(() => {
        for (let i = 0; i < N; i++) g.push(input[i], levels[i], i);
        g.flush();
      }),
    );
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(1);
const min = (a) => Math.min(...a).toFixed(1);
for (const b of builds) {
  const l = b.level.slice(2);
  const g = b.group.slice(2);
  console.log(
    `${b.root}: level ${median(l)} ns/line (min ${min(l)}), multiline ${median(g)} ns/line (min ${min(g)}) CPU`,
  );
}
