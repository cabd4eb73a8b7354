import { controlSettingRows } from '../config/drain-control-settings.js';
import type { ResolvedConfig } from '../config/load.js';
import type { SettingDef } from '../config/settings.js';
import { ConfigError, errorMessage } from '../errors.js';
import { axiomDrain } from './axiom.js';
import { cloudwatchLogsDrain } from './cloudwatch-logs/cloudwatch-logs.js';
import { controlOptions } from './core/control-config.js';
import type { ControlOptions } from './core/event-control.js';
import type { DrainContext, DrainNotice, DrainSpec } from './core/types.js';
import { datadogDrain } from './datadog.js';
import { elasticsearchDrain } from './elasticsearch.js';
import { fileDrain } from './file.js';
import { lokiDrain } from './loki.js';
import { newRelicDrain } from './new-relic.js';
import { otlpDrain } from './otlp/otlp.js';
import { sentryDrain, sentryEventsDrain } from './sentry.js';
import { splunkHecDrain } from './splunk-hec.js';
import { syslogDrain } from './syslog.js';
import { webhookDrain } from './webhook.js';

/** Each spec has its own config type; the runtime only passes a spec's config back to that spec. */
// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of specs, each typed in its own file
type AnySpec = DrainSpec<any, any>;

/** Every drain the forwarder knows; a drain is enabled by the presence of its settings. */
export const DRAIN_SPECS: readonly AnySpec[] = [
  fileDrain,
  webhookDrain,
  cloudwatchLogsDrain,
  sentryDrain,
  sentryEventsDrain,
  syslogDrain,
  datadogDrain,
  splunkHecDrain,
  newRelicDrain,
  axiomDrain,
  otlpDrain,
  lokiDrain,
  elasticsearchDrain,
];

export function drainSettings(): SettingDef[] {
  return DRAIN_SPECS.flatMap((s) => [
    ...s.settings,
    ...controlSettingRows(s.id, s.envPrefix, `the ${s.id} drain`),
  ]);
}

export interface ConfiguredDrain {
  spec: AnySpec;
  config: unknown;
  /** its per-drain control rules; undefined when it has none (no stage is built) */
  control: ControlOptions | undefined;
}

export interface DrainConfigProblem {
  id: string;
  message: string;
}

export interface DrainConfigNotice extends DrainNotice {
  id: string;
}

/** Configures every drain: the enabled ones, and one clear problem per misconfigured one. */
export function configureDrains(
  config: ResolvedConfig,
  ctx: DrainContext,
): { drains: ConfiguredDrain[]; problems: DrainConfigProblem[]; notices: DrainConfigNotice[] } {
  const drains: ConfiguredDrain[] = [];
  const problems: DrainConfigProblem[] = [];
  const notices: DrainConfigNotice[] = [];
  for (const spec of DRAIN_SPECS) {
    try {
      const c = spec.configure(config, ctx);
      if (c !== undefined)
        drains.push({ spec, config: c, control: controlOptions(config, spec, ctx.identity) });
      const own = spec.notices?.(config, c) ?? [];
      for (const n of own) notices.push({ id: spec.id, ...n });
      for (const def of spec.settings) {
        const shadowed = config.shadowed(def.key);
        if (shadowed.length > 0)
          notices.push({
            id: spec.id,
            level: 'warn',
            message: `${config.nameOf(def.key)} is used; ${shadowed.join(' and ')} ${shadowed.length > 1 ? 'are' : 'is'} also set and ignored`,
          });
      }
      if (c === undefined && own.length === 0) {
        const notice = offButSet(spec, config);
        if (notice) notices.push({ id: spec.id, ...notice });
      }
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : `unexpected error: ${errorMessage(err)}`;
      problems.push({ id: spec.id, message });
    }
  }
  return { drains, problems, notices };
}

/**
 * Settings of a drain that is off have no effect: say which ones, and what turns the drain on.
 * AWS_* variables are left out: they are set on every AWS host, for every program.
 */
function offButSet(spec: AnySpec, config: ResolvedConfig): DrainNotice | undefined {
  const set = spec.settings
    .filter((d) => config.isSet(d.key) && !config.nameOf(d.key).startsWith('AWS_'))
    .map((d) => config.nameOf(d.key));
  if (set.length === 0) return undefined;
  return {
    level: 'warn',
    message: `not enabled: ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set, but the drain needs ${spec.enabledBy ?? spec.settings[0]?.env}`,
  };
}
