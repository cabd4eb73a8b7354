import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { appLines, cleanEnv, readEvents, runCli, tempDir } from '../helpers/cli.js';

/**
 * The shared corpus through the public entry point: the built CLI (`forwarder pipe`) with the
 * file drain, exactly as a user runs it. The unit tests beside this file cover the same corpus
 * line by line; this proves the wiring (ANSI stripped before detection, per-stream defaults,
 * grouping, flush at end of input).
 */
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const strip = (s: string): string => s.replace(ANSI, '');
const shown = (level: string): string => (level === 'none' ? 'info' : level);

interface LevelCase {
  line: string;
  level: string;
  format: string;
}
interface GroupCase {
  format: string;
  lines: string[];
  events: [number, number][];
  levels: string[];
}

function jsonl<T>(url: URL): T[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

// An empty line is not shipped at all (there is nothing to ship), so it has no level to compare.
const LEVELS = jsonl<LevelCase>(new URL('../../fixtures/corpus/levels.shared.jsonl', import.meta.url)).filter(
  (c) => strip(c.line).replace(/\r$/, '') !== '',
);
const GROUPS = jsonl<GroupCase>(new URL('../../fixtures/corpus/multiline.shared.jsonl', import.meta.url));

let n = 0;
async function pipe(
  lines: string[],
  extra: Record<string, string> = {},
): Promise<ReturnType<typeof readEvents>> {
  const path = tmp.file(`corpus-${++n}.ndjson`);
  const res = await runCli(['pipe', '--stream', 'stderr'], {
    env: cleanEnv({ FORWARDER_FILE: path, ...extra }),
    input: `${lines.join('\n')}\n`,
  });
  expect(res.code).toBe(0);
  return appLines(readEvents(path));
}

describe('the shared corpus through `forwarder pipe`', () => {
  it('levels.shared.jsonl: ≥ 99% exactly right, and no info/debug line ever shipped as error/fatal', async () => {
    const events = await pipe(
      LEVELS.map((c) => c.line),
      { FORWARDER_MULTILINE: '0' },
    );
    expect(events).toHaveLength(LEVELS.length);
    let right = 0;
    const alarms: string[] = [];
    LEVELS.forEach((c, i) => {
      const got = events[i]!;
      expect(got.message).toBe(strip(c.line).replace(/\r$/, ''));
      if (got.level === shown(c.level)) right++;
      if (['trace', 'debug', 'info', 'none'].includes(c.level) && ['error', 'fatal'].includes(got.level))
        alarms.push(c.line);
    });
    console.log(`levels through the CLI: ${right}/${LEVELS.length} exactly right`);
    expect(right / LEVELS.length).toBeGreaterThanOrEqual(0.99);
    expect(alarms).toEqual([]);
  });

  for (const group of GROUPS) {
    it(`multiline.shared.jsonl: ${group.format} is grouped exactly`, async () => {
      const events = await pipe(group.lines);
      const expected = group.events.map(([from, to], i) => ({
        message: strip(group.lines.slice(from, to + 1).join('\n')).replace(/\n+$/, ''),
        level: shown(group.levels[i]!),
      }));
      expect(events.map((e) => ({ message: e.message, level: e.level }))).toEqual(expected);
    });
  }
});
