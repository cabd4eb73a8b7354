import type { RunSummary } from '../supervisor/messages.js';

/** The one line printed at exit: per drain, delivered / retried / dropped by reason / deadline. */
export function formatSummary(
  summary: RunSummary | undefined,
  backlog: { bytes: number; lines: number; notices: number },
): string {
  if (!summary) return 'summary: the pipeline stopped early; see the error above';
  const lines = Object.values(summary.pipeline.streams).reduce((n, s) => n + s.lines, 0);
  const parts = [`read ${lines} lines`];
  if (summary.pipeline.truncatedLines) parts.push(`truncated ${summary.pipeline.truncatedLines}`);
  if (backlog.bytes) {
    parts.push(
      `pipeline_backlog dropped ${backlog.lines} lines (${backlog.bytes} bytes; ${backlog.notices} notice events)`,
    );
  }
  const redacted = Object.entries(summary.redactions ?? {}).filter(([, n]) => n > 0);
  if (redacted.length > 0) {
    const n = redacted.reduce((sum, [, c]) => sum + c, 0);
    parts.push(`redacted ${n} (${redacted.map(([r, c]) => `${r} ${c}`).join(', ')})`);
  }
  for (const d of summary.drains) {
    const dropped = Object.entries(d.dropped).filter(([, n]) => n > 0);
    const total = dropped.reduce((n, [, c]) => n + c, 0);
    let text = `${d.id}: delivered ${d.delivered}, retried ${d.retried}, dropped ${total}`;
    if (total > 0) text += ` (${dropped.map(([r, n]) => `${r} ${n}`).join(', ')})`;
    const filtered = Object.entries(d.filtered ?? {}).filter(([, n]) => n > 0);
    if (filtered.length > 0) {
      const n = filtered.reduce((sum, [, c]) => sum + c, 0);
      text += `, filtered ${n} (${filtered.map(([r, c]) => `${r} ${c}`).join(', ')})`;
    }
    if (d.messagesCut) text += `, messages cut ${d.messagesCut}`;
    if (d.deadlineCut) text += ', cut by the flush deadline';
    if (d.dropsNotNoticed > 0)
      text += `, ${d.dropsNotNoticed} drops not told to ${d.id} (its dropped notice was not delivered)`;
    parts.push(text);
  }
  return `summary: ${parts.join('; ')}`;
}
