import type { ConfigInputs } from '../config/index.js';
import type { DrainStats } from '../drains/core/drain.js';
import type { TailFormat } from '../pipeline/container-format.js';
import type { Identity } from '../pipeline/event.js';
import type { PipelineStats } from '../pipeline/pipeline.js';

/** workerData of the pipeline worker: plain data, so it survives structured cloning. */
export interface WorkerInit {
  role: 'pipeline';
  inputs: ConfigInputs;
  identity: Identity;
  /** set by the host: bytes framed by the worker so far, mod 2^32 (Atomics) */
  consumed?: Int32Array;
}

export type ToWorker =
  | { t: 'chunk'; stream: string; bytes: Uint8Array; readAt: number }
  | { t: 'gap'; stream: string; lostBytes: number }
  /** tail: bytes of one followed file (whole lines), keyed by its path */
  | { t: 'fileChunk'; file: string; format: TailFormat; bytes: Uint8Array; readAt: number }
  /** tail: the file is gone for good; its last line and pieces are shipped */
  | { t: 'endFile'; file: string }
  | { t: 'endStream'; stream: string }
  | {
      t: 'lifecycle';
      kind: string;
      message: string;
      level: number;
      data: Record<string, unknown>;
      at: number;
    }
  | { t: 'finish'; deadlineAt: number };

export interface DrainSummary extends DrainStats {
  id: string;
  endpoint: string;
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

export type FromWorker =
  | { t: 'ready'; drains: { id: string; endpoint: string }[] }
  | { t: 'log'; line: string }
  | { t: 'done'; summary: RunSummary };
