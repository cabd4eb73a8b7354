// Scores level detection and grouping on a held-out QA set: families that are in neither the
// table (src/pipeline/formats/families.ts) nor the corpus (fixtures/corpus/families), each record
// written from its family's documented format (bench/qa/records.mjs cites the source per family).
//
// Each family's records are fed in order through one LevelDetector and one MultilineGrouper, as one
// stream would be; a record is right when exactly its lines come out as one event at its level.
// Reports per family, then the issue-14 targets: false alarms (trace/debug/info shipped as error or
// fatal), errors/fatals shipped below warn, single-line records merged, groups split or merged.
//
// Run (after `npm run build`): node bench/qa/score.mjs [--set path.json|path.mjs] [--verbose] [--cli] [family…]
// (--cli: through the built CLI, `forwarder pipe`, one run per family)
// Exit code 1 when any record is wrong.
import { readFileSync } from 'node:fs';

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const RANK = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * families: [{ name, doc, records: [[level, line | [line, …]], …] }] → per-family and total scores.
 * `level` is trace|debug|info|warn|error|fatal, or none (the line has no level: shipped as info).
 * impl: { LevelDetector, MultilineGrouper, levelName, NO_LEVEL } from the build (dist/) or the sources.
 */
export function score(input, impl) {
  const { LevelDetector, MultilineGrouper, levelName, NO_LEVEL } = impl;
  const families = input.map((f) => ({
    ...f,
    records: f.records.map(([level, lines]) => [level, Array.isArray(lines) ? lines : [lines]]),
  }));
  const detector = new LevelDetector();
  const result = { families: [], total: 0, right: 0, falseAlarms: [], lowErrors: [], merged: [], split: [] };
  for (const family of families) {
    const lines = [];
    const starts = [];
    for (const [, recLines] of family.records) {
      starts.push(lines.length);
      lines.push(...recLines);
    }
    const events = [];
    const grouper = new MultilineGrouper({
      timeoutMs: 1000,
      maxBytes: 1 << 20,
      maxLines: 1000,
      emit: (_text, level, at, n) => events.push({ first: at, last: at + n - 1, level }),
    });
    lines.forEach((raw, i) => {
      const line = raw.replace(ANSI, '');
      grouper.push(line, line.length === 0 ? NO_LEVEL : detector.detect(line), i);
    });
    grouper.flush();
    const byFirst = new Map(events.map((e) => [e.first, e]));
    let right = 0;
    const wrong = [];
    family.records.forEach(([want, recLines], k) => {
      const first = starts[k];
      let last = first + recLines.length - 1;
      while (last > first && lines[last].trim() === '') last--;
      const ev = byFirst.get(first);
      const got = ev === undefined ? undefined : ev.level === NO_LEVEL ? 'info' : levelName(ev.level);
      const where = `${family.name} #${k}: ${recLines[0].slice(0, 120)}`;
      if (ev === undefined || ev.last < last) {
        result.split.push(where);
        wrong.push(`split (${got ?? 'joined to the line before'}, want ${want}): ${where}`);
        return;
      }
      if (ev.last > last) {
        if (recLines.length === 1) result.merged.push(where);
        else result.split.push(where);
        wrong.push(`merged with the next line(s) (${got}, want ${want}): ${where}`);
        return;
      }
      const shown = want === 'none' ? 'info' : want;
      if (got === shown) {
        right++;
        return;
      }
      if (RANK[shown] <= RANK.info && RANK[got] >= RANK.error) result.falseAlarms.push(where);
      if (RANK[shown] >= RANK.error && RANK[got] < RANK.warn) result.lowErrors.push(where);
      wrong.push(`level ${got}, want ${shown}: ${where}`);
    });
    result.families.push({ name: family.name, right, total: family.records.length, wrong });
    result.total += family.records.length;
    result.right += right;
  }
  return result;
}

/**
 * The same set through the built CLI, as a user runs it: one `forwarder pipe --format plain` per family
 * with the file drain; a record is right when one event carries exactly its lines (ANSI removed,
 * trailing blank lines trimmed) at its level. Returns { total, right, wrong }.
 */
export async function scoreCli(input, cliPath) {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
  let total = 0;
  let right = 0;
  const wrong = [];
  try {
    for (const family of input) {
      const records = family.records.map(([level, lines]) => [level, Array.isArray(lines) ? lines : [lines]]);
      const out = join(dir, `${family.name}.ndjson`);
      execFileSync(process.execPath, [cliPath, 'pipe', '--format', 'plain'], {
        input: `${records.flatMap(([, l]) => l).join('\n')}\n`,
        env: { PATH: process.env.PATH, FORWARDER_FILE: out },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const events = readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l))
        .filter((e) => e.stream !== 'forwarder');
      const got = new Map(events.map((e) => [e.message, e.level]));
      for (const [want, lines] of records) {
        total++;
        const text = lines
          .join('\n')
          .replace(ANSI, '')
          .replace(/\n[ \t]*$/g, '')
          .replace(/\n+$/, '');
        const level = got.get(text);
        if (level === (want === 'none' ? 'info' : want)) right++;
        else
          wrong.push(`${family.name}: ${level ?? 'not one event'}, want ${want}: ${lines[0].slice(0, 100)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { total, right, wrong };
}

async function load(path) {
  if (path.endsWith('.json')) return JSON.parse(readFileSync(path, 'utf8'));
  const mod = await import(new URL(path, `file://${process.cwd()}/`).href);
  return mod.FAMILIES;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const setAt = args.indexOf('--set');
  const path = setAt >= 0 ? args.splice(setAt, 2)[1] : new URL('./records.mjs', import.meta.url).pathname;
  const verbose = args.includes('--verbose');
  const only = args.filter((a) => !a.startsWith('--'));
  let families = await load(path);
  if (only.length > 0) families = families.filter((f) => only.includes(f.name));
  if (args.includes('--cli')) {
    const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
    const r = await scoreCli(families, cli);
    for (const w of r.wrong) console.log(`  ✗ ${w}`);
    console.log(`through forwarder pipe: ${r.right}/${r.total} records right`);
    process.exit(r.right === r.total ? 0 : 1);
  }
  const dist = new URL('../../dist/pipeline/', import.meta.url);
  const [{ LevelDetector }, { levelName, NO_LEVEL }, { MultilineGrouper }] = await Promise.all([
    import(new URL('formats/detect.js', dist).href),
    import(new URL('levels.js', dist).href),
    import(new URL('multiline.js', dist).href),
  ]);
  const r = score(families, { LevelDetector, MultilineGrouper, levelName, NO_LEVEL });
  for (const f of r.families) {
    const mark = f.right === f.total ? ' ' : '✗';
    console.log(`${mark} ${f.name.padEnd(28)} ${f.right}/${f.total}`);
    if (verbose || f.right !== f.total) for (const w of f.wrong) console.log(`    ${w}`);
  }
  const pct = ((100 * r.right) / Math.max(1, r.total)).toFixed(1);
  console.log(
    `\n${r.right}/${r.total} records right (${pct}%) in ${r.families.length} families; ` +
      `false alarms ${r.falseAlarms.length}; errors/fatals below warn ${r.lowErrors.length}; ` +
      `single-line records merged ${r.merged.length}; groups split or merged ${r.split.length}`,
  );
  process.exitCode = r.right === r.total ? 0 : 1;
}
