import { describe, expect, it } from 'vitest';
import { LevelDetector } from '../../../src/pipeline/formats/detect.js';
import { FAMILIES } from '../../../src/pipeline/formats/families.js';
import { levelName, NO_LEVEL } from '../../../src/pipeline/levels.js';

/** Each family's documented examples are its unit tests: the entry and the detector cannot drift apart. */
const detector = new LevelDetector();
const nameOf = (lv: number): string => (lv === NO_LEVEL ? 'none' : levelName(lv));

describe('the table of format families (src/pipeline/formats/families.ts)', () => {
  it('has at least 40 families, each with a source, a header shape, a level rule and examples', () => {
    expect(FAMILIES.length).toBeGreaterThanOrEqual(40);
    const names = new Set<string>();
    for (const f of FAMILIES) {
      expect(f.doc.length, f.name).toBeGreaterThan(10);
      expect(f.header.length, f.name).toBeGreaterThan(0);
      expect(f.level.length, f.name).toBeGreaterThan(0);
      expect(f.examples.length, f.name).toBeGreaterThan(0);
      expect(names.has(f.name), `duplicate ${f.name}`).toBe(false);
      names.add(f.name);
    }
  });

  for (const family of FAMILIES) {
    it(`${family.name}: every documented example gets its level`, () => {
      const wrong = family.examples
        .map(([line, want]) => ({ line, want, got: nameOf(detector.detect(line)) }))
        .filter((r) => r.got !== r.want);
      expect(wrong).toEqual([]);
    });
  }
});
