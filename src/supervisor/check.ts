import { Drain } from '../drains/core/drain.js';
import { LogEvent } from '../pipeline/event.js';
import { INFO } from '../pipeline/levels.js';
import { VERSION } from '../version.js';
import type { Session } from './session.js';

export interface CheckRow {
  drain: string;
  endpoint: string;
  ok: boolean;
  result: string;
  latencyMs: number | undefined;
  hint: string;
}

/**
 * Sends one verification event to every configured drain, one attempt each, all at once, and
 * reports what each said. Misconfigured drains are failed rows.
 */
export async function checkDrains(session: Session): Promise<CheckRow[]> {
  const rows: CheckRow[] = session.problems.map((p) => ({
    drain: p.id,
    endpoint: '-',
    ok: false,
    result: 'misconfigured',
    latencyMs: undefined,
    hint: p.message,
  }));
  const probes = session.drains.map(async ({ spec, config }) => {
    const drain = new Drain(spec, config, {
      identity: session.identity,
      version: VERSION,
      requestTimeoutMs: session.core.requestTimeoutMs,
      bufferBytes: 1024 * 1024,
      batchWaitMs: 1,
      logger: session.logger,
      nextSeq: () => 0,
    });
    const ev = new LogEvent(
      Date.now(),
      'forwarder connection test',
      INFO,
      'verification',
      0,
      'verification',
      { forwarder_version: VERSION },
    );
    try {
      const res = await drain.check(ev);
      return {
        drain: drain.id,
        endpoint: drain.endpoint,
        ok: res.ok,
        result: res.result,
        latencyMs: res.latencyMs,
        hint: [res.detail, res.hint].filter(Boolean).join('; '),
      } satisfies CheckRow;
    } finally {
      await drain.close(Date.now());
    }
  });
  rows.push(...(await Promise.all(probes)));
  return rows;
}

export function formatCheckTable(rows: readonly CheckRow[]): string {
  const table = [['DRAIN', 'ENDPOINT', 'RESULT', 'LATENCY', 'HINT']];
  for (const r of rows)
    table.push([
      r.drain,
      r.endpoint,
      r.result,
      r.latencyMs === undefined ? '-' : `${r.latencyMs} ms`,
      r.hint || '-',
    ]);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return `${table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}
