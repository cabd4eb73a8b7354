import { type ConfigInputs, coreSettingDefs, loadConfigFor } from './config/index.js';
import type { ResolvedConfig } from './config/load.js';
import type { SettingDef } from './config/settings.js';
import { DRAIN_SPECS, drainSettings } from './drains/registry.js';

/**
 * The settings catalogue, assembled at the top: config/ knows how to read settings, drains/ which
 * ones they have; only this composition module knows both, so config/ never imports a drain.
 */
export function allSettings(): SettingDef[] {
  return [...coreSettingDefs(), ...drainSettings()];
}

/** Each drain's one-line description, for its section of the example YAML. */
export function drainDescriptions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of DRAIN_SPECS) out[s.id] = s.description;
  return out;
}

/** The configuration from flags, environment and file, against every setting that exists. */
export function loadAll(inputs: ConfigInputs): ResolvedConfig {
  return loadConfigFor(inputs, allSettings());
}
