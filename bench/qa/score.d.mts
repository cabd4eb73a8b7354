/** Types for score.mjs (a plain module so that it runs with node alone). */
import type { QaFamily } from './records.mjs';

export interface QaImpl {
  LevelDetector: new () => { detect(line: string): number };
  MultilineGrouper: new (opts: {
    timeoutMs: number;
    maxBytes: number;
    maxLines: number;
    emit(text: string, level: number, startedAt: number, lineCount: number): void;
  }) => { push(line: string, level: number, now: number): void; flush(): void };
  levelName(level: number): string;
  NO_LEVEL: number;
}
export interface QaScore {
  families: { name: string; right: number; total: number; wrong: string[] }[];
  total: number;
  right: number;
  falseAlarms: string[];
  lowErrors: string[];
  merged: string[];
  split: string[];
}
export declare function score(families: readonly QaFamily[], impl: QaImpl): QaScore;
export declare function scoreCli(
  families: readonly QaFamily[],
  cliPath: string,
): Promise<{ total: number; right: number; wrong: string[] }>;
