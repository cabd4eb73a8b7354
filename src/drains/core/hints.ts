import type { Outcome } from './types.js';

/**
 * The one hint for a destination that cannot be reached, shared by every drain: `where` names the
 * setting or the (masked) address; `advice` is what to check beyond it (a default port, …).
 */
export function connectionHint(outcome: Outcome, where: string, advice?: string): string | undefined {
  if (outcome.kind !== 'error') return undefined;
  const tail = advice ? `: ${advice}` : '';
  if (outcome.code === 'ECONNREFUSED') return `nothing is listening at ${where}${tail}`;
  if (outcome.code === 'ENOTFOUND' || outcome.code === 'EAI_AGAIN')
    return `cannot resolve the host of ${where}${tail}`;
  return undefined;
}
