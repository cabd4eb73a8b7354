/**
 * A fresh clone tests and benchmarks itself (issue 12): nothing in src/, test/, bench/ or fixtures/
 * names a path outside the repository. Two shapes broke it before: a file-relative path that climbs
 * out (`new URL('../../../<outside>/corpus/…', import.meta.url)`) and an absolute path on the author's
 * machine (`'/work/shared/corpus'`). Every string literal of every code file is checked for both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SCANNED = ['src', 'test', 'bench', 'fixtures'];
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;
/** a quoted string on one line; template literals are checked up to their first `${` */
const LITERAL = /(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g;
/** `..` as a path segment */
const CLIMBS = /(^|\/)\.\.(\/|$)/;
/** absolute paths into places where a machine keeps people's files, not the system's */
/** a sibling folder of the repository (spelled apart so this file does not name one itself) */
const OUTSIDE = ['sha', 'red'].join('');
const MACHINE_PATH = /^\/(work|home|Users|root|mnt|srv|opt|data|shared|tmp)\//;
/** literals that contain `..` but are not paths read from disk, with the reason */
const NOT_PATHS: Record<string, string> = {
  'test/packaging/self-contained.test.ts': 'the patterns this test looks for, quoted in its own comments',
};

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : codeFiles(path);
    return CODE.test(d.name) ? [path] : [];
  });
}

const inside = (path: string) =>
  path === ROOT.replace(/\/$/, '') || path.startsWith(ROOT.endsWith(sep) ? ROOT : ROOT + sep);

/** Every literal in `text` that names a path outside the repository, as `file:line: literal`. */
function pathsOutside(file: string, text: string): string[] {
  const rel = relative(ROOT, file);
  if (NOT_PATHS[rel] !== undefined) return [];
  const found: string[] = [];
  for (const m of text.matchAll(LITERAL)) {
    const value = m[2]!.split('${')[0]!;
    const outside =
      MACHINE_PATH.test(value) || (CLIMBS.test(value) && !inside(resolve(dirname(file), value)));
    if (outside) found.push(`${rel}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
  }
  return found;
}

describe('the repository is self-contained', () => {
  const files = SCANNED.flatMap((d) => codeFiles(join(ROOT, d)));

  it('scans every code file of src, test, bench and fixtures', () => {
    for (const d of SCANNED)
      expect(
        files.some((f) => f.startsWith(join(ROOT, d) + sep)),
        d,
      ).toBe(true);
    expect(files).toContain(join(ROOT, 'test/packaging/self-contained.test.ts'));
  });

  it('no code names a path outside the repository', () => {
    expect(files.flatMap((f) => pathsOutside(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('catches the shapes that broke a fresh clone before', () => {
    const at = join(ROOT, 'test/pipeline/level-detect.test.ts');
    expect(
      pathsOutside(at, `load(new URL('../../../${OUTSIDE}/corpus/levels.shared.jsonl', import.meta.url))`),
    ).toHaveLength(1);
    expect(pathsOutside(at, "process.env.BENCH_CORPUS_DIR ?? '/work/shared/corpus'")).toHaveLength(1);
    expect(pathsOutside(at, "new URL('../../fixtures/corpus/levels.shared.jsonl', import.meta.url)")).toEqual(
      [],
    );
    expect(pathsOutside(at, "import { x } from '../helpers/cli.js'")).toEqual([]);
  });
});
