import type { ConfigInputs } from '../config/index.js';
import type { ResolvedConfig } from '../config/load.js';
import { errorMessage } from '../errors.js';
import { inputFormat, type TailFormat } from '../pipeline/container-format.js';
import { INFO, WARN } from '../pipeline/levels.js';
import { CheckpointStore, type FileCheckpoint } from '../sources/tail/checkpoint.js';
import { type FollowEvent, Follower } from '../sources/tail/follower.js';
import { EXIT } from './exit-codes.js';
import { flushAndSummarize } from './lifecycle.js';
import { startPipeline } from './pipeline-host.js';
import { openSession, writeStderr } from './session.js';
import { STOP_SIGNALS, signalInbox } from './signals.js';

/** Checkpoints are written this often (when something changed) and at exit: the restart window. */
export const CHECKPOINT_INTERVAL_MS = 1000;
/** Above this many bytes posted and not yet framed, reading waits: a file can wait, so nothing is dropped. */
const BACKLOG_HIGH_WATER_BYTES = 8 * 1024 * 1024;

/**
 * How far reading may run ahead of the pipeline: FORWARDER_PIPELINE_BUFFER_BYTES when it is set
 * lower, so memory stays within it (a read can pass it by one chunk); never more than 8 MiB, as a
 * file waits on disk at no cost and more read-ahead delivers nothing sooner.
 */
export function readAheadBytes(pipelineBufferBytes: number): number {
  return Math.min(BACKLOG_HIGH_WATER_BYTES, pipelineBufferBytes);
}

export interface TailOptions {
  format: TailFormat;
  fromBeginning: boolean;
  pollIntervalMs: number;
  stateDir: string | undefined;
}

export function tailOptions(config: ResolvedConfig): TailOptions {
  return {
    format: inputFormat(config.get<string>('tail_format')),
    fromBeginning: config.get<boolean>('tail_from_beginning') ?? false,
    pollIntervalMs: config.get<number>('tail_poll_interval') ?? 500,
    stateDir: config.get<string>('state_dir') || undefined,
  };
}

const EVENT_TEXT: { [K in FollowEvent['kind']]: (ev: Extract<FollowEvent, { kind: K }>) => string } = {
  followed: (ev) =>
    ev.from === 'checkpoint'
      ? `following ${ev.path} from the checkpoint (offset ${ev.offset})`
      : `following ${ev.path} from its ${ev.from === 'end' ? 'end' : 'beginning'}`,
  rotated: (ev) =>
    `${ev.path} was rotated (${ev.how}); the old file was read to its end (${ev.finishedAt} bytes), the new one is read from its beginning`,
  truncated: (ev) => `${ev.path} was truncated at ${ev.at} bytes; reading it again from its beginning`,
  gone: (ev) => `${ev.path} is gone (read to ${ev.finishedAt} bytes); stopped following it`,
};

function describe(ev: FollowEvent): string {
  return (EVENT_TEXT[ev.kind] as (e: FollowEvent) => string)(ev);
}

/**
 * `forwarder tail <path or glob>...`: follow files (a Kubernetes sidecar sharing a volume with the
 * app, or a node's /var/log/pods) into the same pipeline and drains as `run`. SIGTERM / SIGINT: one
 * last read, the final flush under the deadline, the last checkpoint, the summary line, exit 0.
 */
export async function runTail(patterns: readonly string[], inputs: ConfigInputs): Promise<number> {
  const session = openSession(inputs);
  const { logger } = session;
  const opts = tailOptions(session.config);
  const host = startPipeline(session);
  const readAhead = readAheadBytes(session.core.pipelineBufferBytes);
  if (!host)
    logger.warn(
      "no drain is configured: the files are followed and nothing is shipped (set FORWARDER_FILE or a drain's variables)",
    );

  let store: CheckpointStore | undefined;
  let saved: FileCheckpoint[] | undefined;
  if (opts.stateDir) {
    try {
      store = new CheckpointStore(opts.stateDir);
      saved = store.load();
    } catch (err) {
      if (!store) {
        writeStderr(
          `forwarder: config error: --state-dir ${opts.stateDir} cannot be used: ${errorMessage(err)}`,
        );
        return EXIT.config;
      }
      logger.warn(`the checkpoint ${store.path} cannot be read (${errorMessage(err)}); starting without it`);
    }
  } else {
    logger.info('no --state-dir: offsets are not saved, and a restart starts again at the end of each file');
  }

  host?.lifecycle('started', `forwarder: tailing ${patterns.join(' ')}`, INFO, {
    pid: process.pid,
    mode: 'tail',
    patterns: [...patterns],
    format: opts.format,
  });

  const follower = new Follower(
    {
      patterns,
      pollIntervalMs: opts.pollIntervalMs,
      fromBeginning: opts.fromBeginning,
      checkpoints: saved,
    },
    {
      data: (file, chunk, readAt) => host?.writeFile(file, opts.format, chunk, readAt),
      end: (file) => host?.endFile(file),
      canRead: () => host === undefined || host.backlogBytes < readAhead,
      caughtUp: (files) => host?.caughtUp(files),
      event: (ev) => {
        const text = describe(ev);
        logger.info(text);
        const { kind, ...data } = ev;
        host?.lifecycle(kind, `forwarder: ${text}`, ev.kind === 'truncated' ? WARN : INFO, data);
      },
    },
  );
  follower.start();
  if (follower.files.length === 0)
    logger.info(`no file matches ${patterns.join(' ')} yet; waiting for one to appear`);

  const save = (): void => {
    if (!store) return;
    try {
      store.save(follower.checkpoints());
    } catch (err) {
      logger.warn(`cannot save the checkpoint ${store.path}: ${errorMessage(err)}`);
    }
  };
  const ticker = store ? setInterval(save, CHECKPOINT_INTERVAL_MS) : undefined;

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    signalInbox.listen((s) => {
      if (STOP_SIGNALS.has(s)) resolve(s);
    });
  });
  clearInterval(ticker);
  // With a checkpoint, an unfinished last line waits for the next start; without one it is shipped now.
  follower.stop(store === undefined);
  host?.lifecycle('stopped', `forwarder: stopped by ${signal}`, INFO, { mode: 'tail', signal });
  await flushAndSummarize(session, host);
  // After the final flush: a crash during it re-ships the last moments instead of losing them.
  save();
  follower.close();
  return EXIT.ok;
}
