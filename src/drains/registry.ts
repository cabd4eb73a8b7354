import type { ResolvedConfig } from '../config/load.js';
import type { SettingDef } from '../config/settings.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { DrainContext, DrainSpec } from './core/types.js';
import { fileDrain } from './file.js';
import { webhookDrain } from './webhook.js';

/** Each spec has its own config type; the runtime only passes a spec's config back to that spec. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of specs, each typed in its own file
type AnySpec = DrainSpec<any>;

/** Every drain the forwarder knows; a drain is enabled by the presence of its settings. */
export const DRAIN_SPECS: readonly AnySpec[] = [fileDrain, webhookDrain];

export function drainSettings(): SettingDef[] {
  return DRAIN_SPECS.flatMap((s) => s.settings);
}

export interface ConfiguredDrain {
  spec: AnySpec;
  config: unknown;
}

export interface DrainConfigProblem {
  id: string;
  message: string;
}

/** Configures every drain: the enabled ones, and one clear problem per misconfigured one. */
export function configureDrains(
  config: ResolvedConfig,
  ctx: DrainContext,
): { drains: ConfiguredDrain[]; problems: DrainConfigProblem[] } {
  const drains: ConfiguredDrain[] = [];
  const problems: DrainConfigProblem[] = [];
  for (const spec of DRAIN_SPECS) {
    try {
      const c = spec.configure(config, ctx);
      if (c !== undefined) drains.push({ spec, config: c });
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : `unexpected error: ${errorMessage(err)}`;
      problems.push({ id: spec.id, message });
    }
  }
  return { drains, problems };
}
