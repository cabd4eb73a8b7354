import { DEFAULT_CONTROL_SETTINGS } from '../config/drain-control-settings.js';
import { type ConfigInputs, type CoreOptions, coreOptions, identityFrom, loadAll } from '../config/index.js';
import type { ResolvedConfig } from '../config/load.js';
import { controlOptions } from '../drains/core/control-config.js';
import { type ConfiguredDrain, configureDrains, type DrainConfigProblem } from '../drains/registry.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { Identity } from '../pipeline/event.js';
import { redactionFrom } from '../pipeline/redact-config.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { VERSION } from '../version.js';

/** sysexits EX_CONFIG: the configuration is wrong, nothing was started. */
export const EXIT_CONFIG = 78;

export interface Session {
  inputs: ConfigInputs;
  config: ResolvedConfig;
  core: CoreOptions;
  identity: Identity;
  drains: ConfiguredDrain[];
  problems: DrainConfigProblem[];
  logger: Logger;
}

export function writeStderr(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

/**
 * Loads and checks the configuration for a command. Core errors and (under strict) drain errors
 * end the process with exit 78 and one line per problem; a bad drain is otherwise disabled.
 */
export function openSession(inputs: ConfigInputs): Session {
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
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
  const logger = createLogger({ level: core.logLevel, format: core.logFormat, write: writeStderr });
  const { drains, problems, notices } = configureDrains(config, {
    identity,
    version: VERSION,
    requestTimeoutMs: core.requestTimeoutMs,
  });
  for (const n of notices) logger[n.level](`drain ${n.id}: ${n.message}`);
  for (const p of problems) {
    logger.error(`drain ${p.id} is disabled: ${p.message}`);
  }
  if (problems.length > 0 && core.strict) {
    writeStderr(
      `forwarder: FORWARDER_STRICT is set and ${problems.length} drain(s) are misconfigured; not starting`,
    );
    process.exit(EXIT_CONFIG);
  }
  return { inputs, config, core, identity, drains, problems, logger };
}

export function describeError(err: unknown): string {
  return errorMessage(err);
}
