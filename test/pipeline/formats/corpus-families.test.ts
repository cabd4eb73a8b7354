import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../../src/pipeline/formats/detect.js';
import { levelName, NO_LEVEL } from '../../../src/pipeline/levels.js';
import { MultilineGrouper } from '../../../src/pipeline/multiline.js';

/**
 * The real-world corpus, one file per format family (fixtures/corpus/families/*.jsonl, record shapes
 * as in fixtures/corpus/README.md): every level exactly right, no info/debug line raised to
 * error/fatal, every group exactly right. A missing directory fails the test.
 */
const DIR = new URL('../../../fixtures/corpus/families/', import.meta.url);
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const strip = (s: string): string => s.replace(ANSI, '');
/** `none` is shipped as the stream default, info */
const shown = (level: string): string => (level === 'none' ? 'info' : level);

interface LevelCase {
  line: string;
  level: string;
}
interface GroupCase {
  format: string;
  lines: string[];
  events: [number, number][];
  levels: string[];
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();
const records = files.flatMap((file) =>
  readFileSync(new URL(file, DIR), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ file, record: JSON.parse(l) as Partial<LevelCase & GroupCase> })),
);
const levelCases = records.filter((r) => typeof r.record.line === 'string');
const groupCases = records.filter((r) => Array.isArray(r.record.lines) && Array.isArray(r.record.events));
const detector = new LevelDetector();

describe('the families corpus (fixtures/corpus/families)', () => {
  it('levels: every line exactly right, reported per family', () => {
    const perFile = new Map<string, { right: number; total: number }>();
    const wrong: string[] = [];
    for (const { file, record } of levelCases) {
      const line = strip(record.line!);
      const got = shown(line.length === 0 ? 'none' : nameOf(detector.detect(line)));
      const stat = perFile.get(file) ?? { right: 0, total: 0 };
      perFile.set(file, stat);
      stat.total++;
      if (got === shown(record.level!)) stat.right++;
      else wrong.push(`${file}: got ${got}, want ${record.level}: ${line}`);
    }
    const right = levelCases.length - wrong.length;
    console.log(
      `families corpus levels: ${right}/${levelCases.length} in ${files.length} files\n` +
        [...perFile].map(([f, s]) => `  ${f}: ${s.right}/${s.total}`).join('\n'),
    );
    expect(levelCases.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('groups: every record grouped exactly, with its level', () => {
    const wrong: string[] = [];
    for (const { file, record } of groupCases) {
      const got = group(record.lines!);
      const want = record.events!.map(([a, b], k) => {
        let end = b;
        while (end > a && record.lines![end]!.trim() === '') end--; // trailing blank lines are trimmed
        return `${a}-${end}:${shown(record.levels![k]!)}`;
      });
      if (got.join(' ') !== want.join(' '))
        wrong.push(`${file} ${record.format}: got ${got.join(' ')}, want ${want.join(' ')}`);
    }
    console.log(`families corpus groups: ${groupCases.length - wrong.length}/${groupCases.length}`);
    expect(wrong).toEqual([]);
  });
});

function nameOf(level: number): string {
  return level === NO_LEVEL ? 'none' : levelName(level);
}

function group(lines: string[]): string[] {
  const out: [number, string][] = [];
  const g = new MultilineGrouper({
    timeoutMs: 1000,
    maxBytes: 1 << 20,
    maxLines: 1000,
    emit: (_t, level, at, n) => out.push([at, `${at}-${at + n - 1}:${shown(nameOf(level))}`]),
  });
  lines.forEach((raw, i) => {
    const line = strip(raw);
    g.push(line, line.length === 0 ? NO_LEVEL : detector.detect(line), i);
  });
  g.flush();
  return out.sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}
