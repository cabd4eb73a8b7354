/**
 * Issue 15, a burst under `run` (when_full=drop): the app writes 200,000 lines flat out into a
 * healthy file drain. The pipeline gives way while it does (its turns bounded), so part of the
 * burst is dropped at the pipeline's backlog; every line is either in the file or counted there,
 * exactly, no line reaches the file as another's tail, and the app's output passes through whole.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { APPS, appLines, cleanEnv, NODE, readEvents, runCli, summaryOf, tempDir } from '../helpers/cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const LINES = 200_000;

describe('run: a flat-out burst into a file drain', () => {
  it('every line of a 200,000-line burst is in the file or counted (pipeline_backlog), and passes through whole', async () => {
    const file = tmp.file('burst.ndjson');
    const res = await runCli(['run', '--', NODE, `${APPS}/lines.mjs`, String(LINES)], {
      env: cleanEnv({ FORWARDER_FILE: file }),
    });
    const stderr = res.stderr.toString();
    expect(res.code, stderr).toBe(0);
    // the pass-through: every line, in order
    const out = res.stdout.toString().split('\n');
    expect(out).toHaveLength(LINES + 1);
    expect(out[LINES - 1]).toContain(`line=${String(LINES - 1).padStart(9, '0')}`);

    const read = Number(/summary: read (\d+) lines/.exec(stderr)?.[1]);
    const backlog = Number(/pipeline_backlog dropped (\d+) lines/.exec(stderr)?.[1] ?? 0);
    // nothing silent: what the pipeline did not read is counted at the backlog, line for line
    expect(read + backlog, stderr).toBe(LINES);

    // the drain kept pace: it dropped nothing, and the file holds exactly what it delivered
    const s = summaryOf(stderr, 'file');
    expect(s.dropped, stderr).toBe(0);
    const events = readEvents(file);
    expect(events).toHaveLength(s.delivered);
    const lines = appLines(events);
    expect(lines).toHaveLength(read);
    // a line is whole, or its own start cut at a gap in the backlog: never a line's tail taken for a line
    const head = '2024-05-14T09:21:07.412Z ';
    for (const { message } of lines) {
      const cut = /…\[truncated \d+ bytes\]$/.exec(message);
      const text = cut ? message.slice(0, cut.index) : message;
      if (cut) expect(text.startsWith(head) || head.startsWith(text), message).toBe(true);
      else
        expect(message, message).toMatch(
          /^2024-05-14T09:21:07\.412Z (INFO|WARN|ERROR|DEBUG) app line=\d{9} x+$/,
        );
    }
    // a drop at the backlog is told in the file too, with the counts the summary has
    const told = events
      .filter((e) => e.stream === 'forwarder' && e.message.startsWith('forwarder dropped'))
      .reduce((n, e) => n + Number(/^forwarder dropped (\d+) lines/.exec(e.message)?.[1] ?? 0), 0);
    expect(told).toBe(backlog);
  }, 60_000);
});
