/**
 * The file drain: the drain contract's stream items, run through the built CLI against the file it
 * writes (one canonical JSON event per line). `npm run build` first; `npm test` does it.
 */
import { type CanonicalEvent, readEvents, tempDir } from '../helpers/cli.js';
import { streamDrainContract } from './contract.js';

streamDrainContract<CanonicalEvent>({
  id: 'file',
  async open() {
    const dir = tempDir('fwd-file-contract-');
    const path = dir.file('events.ndjson');
    const stored = (): CanonicalEvent[] => {
      try {
        return readEvents(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    };
    return {
      env: { FORWARDER_FILE: path },
      // the drain has written (and counted as delivered) only what is in the file: no waiting
      records: async (n) => {
        const all = stored();
        if (all.length < n) throw new Error(`${path} holds ${all.length} events, the summary says ${n}`);
        return all;
      },
      close: async () => dir.cleanup(),
    };
  },
  message: (e) => e.message,
  isLifecycle: (e) => e.stream === 'forwarder',
  stream: (e) => e.stream,
  notApplicable: {
    retry_transient:
      'a local file has no outage a test can end on cue (ENOSPC needs a full disk); a failed write being retried and counted is held by test/cli/run.test.ts (disk full, /dev/full)',
    rate_limit_wait: 'a file has no rate limit and no server to name a wait',
    refused_credentials:
      'a file has no credentials; a path that cannot be written is refused at start-up with one line naming FORWARDER_FILE (test/config), and permissions cannot be tested as root',
    final_rejection:
      'a file gives no per-batch answer: a write succeeds or fails with an errno (see retry_transient)',
    split_too_large: 'a file has no size answer to split on',
    truncate_oversized:
      "the drain's record limit (64 MiB) is FORWARDER_MAX_LINE_BYTES' ceiling: the pipeline cuts a line before the drain could",
    flush_deadline:
      'a local append does not hang the way a peer can; the deadline itself is held by the HTTP and syslog drains',
  },
});
