import { scrubSecrets } from '../../config/secret.js';
import { oneLine } from './accounting.js';
import { describeOutcome } from './classify.js';
import { DEFAULTS } from './defaults.js';
import type { Sender } from './sender.js';
import type { Batch, Outcome, Verdict } from './types.js';

export interface CheckResult {
  ok: boolean;
  result: string;
  latencyMs: number;
  detail?: string;
  hint?: string;
}

/**
 * `forwarder check`: one batch straight through the sender, one attempt, no queue and no retry;
 * the verdict and hint as one table row each.
 */
export async function checkOnce<P>(
  batch: Batch,
  sender: Sender<P>,
  verdictOf: (outcome: Outcome) => Verdict,
  hintOf: (outcome: Outcome) => string | undefined,
  timeoutMs: number,
): Promise<CheckResult> {
  const started = performance.now();
  let outcome = await sender.send(sender.prepare(batch), batch, AbortSignal.timeout(timeoutMs));
  // A stream receiver says nothing back; one that refuses what it read closes the connection.
  if (outcome.kind === 'ok' && sender.settles)
    outcome = (await sender.settle(DEFAULTS.checkSettleMs)) ?? outcome;
  const latencyMs = Math.round(performance.now() - started);
  const verdict = verdictOf(outcome);
  const ok = verdict.action === 'ok';
  // A multi-line vendor message or hint is folded onto one line.
  const detail = 'detail' in verdict && verdict.detail ? oneLine(scrubSecrets(verdict.detail)) : undefined;
  const hint = ok ? undefined : oneLine(hintOf(outcome) ?? '') || undefined;
  return {
    ok,
    result: ok ? `accepted (${describeOutcome(outcome)})` : `${verdict.action}: ${describeOutcome(outcome)}`,
    latencyMs,
    ...(detail ? { detail } : {}),
    ...(hint ? { hint } : {}),
  };
}
