import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../../bench/qa/records.mjs';
import { score } from '../../../bench/qa/score.mjs';
import { LevelDetector } from '../../../src/pipeline/formats/detect.js';
import { levelName, NO_LEVEL } from '../../../src/pipeline/levels.js';
import { MultilineGrouper } from '../../../src/pipeline/multiline.js';

/**
 * The held-out QA set (bench/qa/records.mjs, issue 14): families that were in neither the table nor the
 * corpus, each record from its family's documented layout, scored as one stream per family
 * (bench/qa/score.mjs). Every record right: its level, and its lines as exactly one event.
 */
describe('the held-out QA set (bench/qa)', () => {
  it('every record gets its level and its own event; no false alarm, no error below warn, no merge', () => {
    const r = score(FAMILIES, { LevelDetector, MultilineGrouper, levelName, NO_LEVEL });
    console.log(
      `held-out QA: ${r.right}/${r.total} in ${r.families.length} families\n` +
        r.families.map((f) => `  ${f.name}: ${f.right}/${f.total}`).join('\n'),
    );
    expect(r.total).toBeGreaterThanOrEqual(300);
    expect(r.falseAlarms).toEqual([]);
    expect(r.lowErrors).toEqual([]);
    expect(r.merged).toEqual([]);
    expect(r.split).toEqual([]);
    expect(r.families.flatMap((f) => f.wrong)).toEqual([]);
  });
});
