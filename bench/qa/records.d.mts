/** Types for records.mjs (a plain module so that bench/qa/score.mjs runs with node alone). */
export interface QaFamily {
  readonly name: string;
  readonly doc: string;
  readonly records: readonly (readonly [level: string, lines: string | readonly string[]])[];
}
export declare const FAMILIES: readonly QaFamily[];
