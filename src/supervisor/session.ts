import { DEFAULT_CONTROL_SETTINGS } from '../config/drain-control-settings.js';
import { type ConfigInputs, type CoreOptions, coreOptions, identityFrom } from '../config/index.js';
import type { ResolvedConfig } from '../config/load.js';
import { controlOptions } from '../drains/core/control-config.js';
import { type ConfiguredDrain, configureDrains, type DrainConfigProblem } from '../drains/registry.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { Identity } from '../pipeline/event.js';
import { redactionFrom } from '../pipeline/redact-config.js';
import { loadAll } from '../settings-catalogue.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { VERSION } from '../version.js';
import { EXIT, ExitWith } from './exit-codes.js';
import { ownStderr } from './stderr.js';

export interface Session {
  inputs: ConfigInputs;
  config: ResolvedConfig;
  core: CoreOptions;
  identity: Identity;
  drains: ConfiguredDrain[];
  problems: DrainConfigProblem[];
  logger: Logger;
}

/** One line of ours on stderr, always on a fresh line (see SharedStderr). */
export function writeStderr(line: string): void {
  ownStderr.writeLine(line);
}

/** The configuration and core settings: what is needed before the app is spawned. */
export type CoreSession = Omit<Session, 'drains' | 'problems'>;

/**
 * Loads and checks the configuration for a command. Core errors and (under strict) drain errors
 * end the command with exit 78 (ExitWith) and one line per problem; a bad drain is otherwise disabled.
 */
export function openSession(inputs: ConfigInputs): Session {
  return openDrains(openCore(inputs));
}

/** The configuration read and the core settings checked (exit 78 on a bad one); no drain set up yet. */
export function openCore(inputs: ConfigInputs): CoreSession {
  let config: ResolvedConfig;
  let core: CoreOptions;
  let identity: Identity;
  try {
    config = loadAll(inputs);
    core = coreOptions(config);
    identity = identityFrom(config, inputs);
    // Redaction and the defaults for all drains are not one drain's business: a bad one stops start-up.
    redactionFrom(config);
    const defaultsBad = config.errorsOf(DEFAULT_CONTROL_SETTINGS.map((d) => d.key));
    if (defaultsBad.length > 0) throw defaultsBad[0]!;
    controlOptions(config, { id: '', fieldKeys: {} }, identity);
  } catch (err) {
    if (err instanceof ConfigError) {
      writeStderr(`forwarder: config error: ${err.message}`);
      throw new ExitWith(EXIT.config);
    }
    throw err;
  }
  const logger = createLogger({ level: core.logLevel, format: core.logFormat, write: writeStderr });
  return { inputs, config, core, identity, logger };
}

/** The drains set up from the configuration: problems reported (fatal under FORWARDER_STRICT). */
export function openDrains(session: CoreSession): Session {
  const { inputs, config, core, identity, logger } = session;
  const { drains, problems, notices } = configureDrains(config, {
    identity,
    version: VERSION,
    requestTimeoutMs: core.requestTimeoutMs,
  });
  for (const n of notices) logger[n.level](`drain ${n.id}: ${n.message}`);
  // Metrics are served by the pipeline, which runs only with a drain: say so rather than serve nothing.
  if (drains.length === 0 && core.metricsAddr && inputs.mode !== 'config' && inputs.mode !== 'check')
    logger.warn(
      `${config.nameOf('metrics_addr')} is set but no drain is configured: nothing is served there`,
    );
  for (const p of problems) {
    logger.error(`drain ${p.id} is disabled: ${p.message}`);
  }
  if (problems.length > 0 && core.strict) {
    writeStderr(
      `forwarder: FORWARDER_STRICT is set and ${problems.length} drain(s) are misconfigured; not starting`,
    );
    throw new ExitWith(EXIT.config);
  }
  return { ...session, drains, problems };
}

export function describeError(err: unknown): string {
  return errorMessage(err);
}
