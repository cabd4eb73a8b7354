import type { DrainStats } from '../drains/core/drain-stats.js';
import type { TailFormat } from '../pipeline/container-format.js';
import type { PipelineStats } from '../pipeline/pipeline.js';

/** The host → the pipeline (pipeline-runner.ts), in order; input chunks are handled in bounded turns. */
export type ToPipeline =
  | { t: 'chunk'; stream: string; bytes: Uint8Array; readAt: number }
  | { t: 'gap'; stream: string; lostBytes: number }
  /** tail: bytes of one followed file (whole lines), keyed by its path */
  | { t: 'fileChunk'; file: string; format: TailFormat; bytes: Uint8Array; readAt: number }
  /** tail: the file is gone for good; its last line and pieces are shipped */
  | { t: 'endFile'; file: string }
  /** tail: every followed file was read to its end; each had gone unwritten for at least quietMs */
  | { t: 'caughtUp'; files: readonly { path: string; quietMs: number }[] }
  | { t: 'endStream'; stream: string }
  | {
      t: 'lifecycle';
      kind: string;
      message: string;
      level: number;
      data: Record<string, unknown>;
      at: number;
    }
  | { t: 'finish'; deadlineAt: number }
  /** a second stop signal during the final flush: report now, with what is still queued counted `interrupted` */
  | { t: 'interrupt' };

export interface DrainSummary extends DrainStats {
  id: string;
  endpoint: string;
  /** events queued or being sent when the counts were taken */
  pending?: number;
  /** events its per-drain control did not pass on, by rule (min_level, filter, sample, rate_limit) */
  filtered?: Record<string, number>;
  /** messages cut at its max_message_chars */
  messagesCut?: number;
}

export interface RunSummary {
  pipeline: PipelineStats;
  drains: DrainSummary[];
  /** FORWARDER_REDACT replacements, by rule */
  redactions?: Record<string, number>;
}

/** The pipeline → the host. */
export type FromPipeline =
  | { t: 'ready'; drains: { id: string; endpoint: string }[] }
  | { t: 'log'; line: string }
  | { t: 'done'; summary: RunSummary }
  /** every STATS_INTERVAL_MS: the counts so far, kept by the host for a summary if we are stopped */
  | { t: 'stats'; summary: RunSummary }
  /** a throw in pipeline or drain code stopped the pipeline; the app runs on, nothing more is shipped */
  | { t: 'failed'; message: string };

/**
 * The summary of a flush that was cut short: what each drain still held (queued or in flight) is
 * counted as dropped for `reason` (`interrupted`: a second stop signal; `flush_deadline`: the
 * pipeline had to be stopped).
 */
export function countPendingAs(summary: RunSummary, reason: string): RunSummary {
  return {
    ...summary,
    drains: summary.drains.map((d) => {
      const n = d.pending ?? 0;
      if (n === 0) return d;
      return { ...d, pending: 0, dropped: { ...d.dropped, [reason]: (d.dropped[reason] ?? 0) + n } };
    }),
  };
}
