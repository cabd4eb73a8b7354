import type { LogEvent } from '../../pipeline/event.js';
import { type ControlContext, type ControlOptions, DrainControl, hasRules } from './event-control.js';

export interface ControlStages {
  /** per drain (same order as the drains), what the fan-out calls: the control stage, or the drain's push */
  entries: ((ev: LogEvent) => void)[];
  /** per drain, its stage; undefined where it has no rule */
  stages: (DrainControl | undefined)[];
  /** some stage has a rate limit, whose windows close on a timer */
  needsTick: boolean;
  tick(): void;
  end(): void;
  /** what a drain's stage counted, for the exit summary */
  statsOf(i: number): { filtered?: Record<string, number>; messagesCut?: number };
}

/** Puts a control stage in front of each drain that has rules; the others are fed by the fan-out directly. */
export function buildControlStages(
  configured: readonly { control: ControlOptions | undefined }[],
  drains: readonly { push(ev: LogEvent): void }[],
  ctx: ControlContext,
): ControlStages {
  const stages = configured.map((c, i) =>
    c.control && hasRules(c.control)
      ? new DrainControl(c.control, (ev) => drains[i]!.push(ev), ctx)
      : undefined,
  );
  const entries = drains.map((d, i) => {
    const stage = stages[i];
    return stage ? (ev: LogEvent) => stage.push(ev) : (ev: LogEvent) => d.push(ev);
  });
  return {
    entries,
    stages,
    needsTick: configured.some((c) => c.control?.rateLimit !== undefined),
    tick: () => {
      for (const s of stages) s?.tick();
    },
    end: () => {
      for (const s of stages) s?.end();
    },
    statsOf: (i) => {
      const s = stages[i];
      if (!s) return {};
      return { filtered: { ...s.stats.filtered }, messagesCut: s.stats.truncated };
    },
  };
}
