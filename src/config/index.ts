import { randomBytes } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { basename } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Identity } from '../pipeline/event.js';
import { inPod, k8sAttributes, podinfoDirExists } from '../pipeline/k8s-identity.js';
import { DEFAULT_CONTROL_SETTINGS, REDACT_SETTINGS } from './drain-control-settings.js';
import { type FlagValues, loadConfig, type ResolvedConfig } from './load.js';
import { CORE_SETTINGS, type SettingDef } from './settings.js';

export interface CoreOptions {
  maxLineBytes: number;
  flushTimeoutMs: number;
  defaultLevels: { stdout: number; stderr: number };
  multiline: { enabled: boolean; timeoutMs: number; maxBytes: number; maxLines: number };
  structured: { enabled: boolean; maxBytes: number };
  bufferBytes: number;
  pipelineBufferBytes: number;
  /** FORWARDER_WHEN_FULL as set; unset means the mode's default (see whenFullFor) */
  whenFull: 'drop' | 'block' | undefined;
  batchWaitMs: number;
  signalGroup: boolean;
  strict: boolean;
  logLevel: string;
  logFormat: 'text' | 'json';
  requestTimeoutMs: number;
  metricsAddr: { host: string; port: number } | undefined;
  unhealthyAfterMs: number;
}

export type Mode = 'run' | 'pipe' | 'tail' | 'check' | 'config';

/** What the configuration is read from: the command line, the environment, the YAML file. */
export interface ConfigInputs {
  flags: FlagValues;
  env: Record<string, string | undefined>;
  configPath: string | undefined;
  mode: Mode;
  /** run: the command, for the agent_id default */
  command?: string;
}

/** The settings config/ owns; the drains' rows are added by the catalogue (src/settings-catalogue.ts). */
export function coreSettingDefs(): SettingDef[] {
  return [...CORE_SETTINGS, ...REDACT_SETTINGS, ...DEFAULT_CONTROL_SETTINGS];
}

/** The configuration from flags, environment and file, against `defs` (the whole catalogue). */
export function loadConfigFor(inputs: ConfigInputs, defs: readonly SettingDef[]): ResolvedConfig {
  const configPath = (inputs.flags.config as string | undefined) ?? inputs.env.FORWARDER_CONFIG ?? undefined;
  return loadConfig({
    defs: [...defs],
    flags: inputs.flags,
    env: inputs.env,
    configPath: configPath || undefined,
  });
}

/** Core settings must all be valid: throws the first bad one (the caller prints each error). */
export function coreOptions(config: ResolvedConfig): CoreOptions {
  const errors = config.errorsOf(CORE_SETTINGS.map((d) => d.key));
  if (errors.length > 0) throw errors[0]!;
  const g = <T>(key: string): T => config.get<T>(key) as T;
  return {
    maxLineBytes: g('max_line_bytes'),
    flushTimeoutMs: g('flush_timeout'),
    defaultLevels: { stdout: g('stdout_level'), stderr: g('stderr_level') },
    multiline: {
      enabled: g('multiline'),
      timeoutMs: g('multiline_timeout'),
      maxBytes: g('multiline_max_bytes'),
      maxLines: g('multiline_max_lines'),
    },
    structured: { enabled: g('structured'), maxBytes: g('structured_max_bytes') },
    bufferBytes: g('buffer_bytes'),
    pipelineBufferBytes: g('pipeline_buffer_bytes'),
    whenFull: config.get<'drop' | 'block'>('when_full'),
    batchWaitMs: g('batch_wait'),
    signalGroup: g('signal_group'),
    strict: g('strict'),
    logLevel: g('log_level'),
    logFormat: g('log_format'),
    requestTimeoutMs: g('request_timeout'),
    metricsAddr: parseListenAddress(config.get<string>('metrics_addr'), config.nameOf('metrics_addr')),
    unhealthyAfterMs: g('unhealthy_after'),
  };
}

export function identityFrom(config: ResolvedConfig, inputs: ConfigInputs, instance?: string): Identity {
  const env = inputs.env;
  const host = osHostname();
  // a blank command or `/` has no basename: `app`, so that a command problem stays one (127/126)
  const fromCommand = inputs.command !== undefined ? basename(inputs.command).trim() || 'app' : undefined;
  const defaultAgent = inputs.mode === 'tail' ? (env.CONTAINER_NAME ?? 'tail') : (fromCommand ?? inputs.mode);
  const agentId = config.get<string>('agent_id') ?? defaultAgent;
  const workerId =
    config.get<string>('worker_id') ??
    ((inputs.mode === 'tail' ? env.POD_NAME : undefined) || env.HOSTNAME || host);
  const hostname =
    config.get<string>('hostname') ?? ((inputs.mode === 'tail' ? env.NODE_NAME : undefined) || host);
  if (!agentId.trim()) throw new ConfigError(`${config.nameOf('agent_id')} is empty`);
  const k8s = config.get<boolean>('k8s') === true;
  const podinfoDir = config.get<string>('k8s_podinfo_dir');
  return {
    agentId,
    workerId,
    hostname,
    instance: instance ?? randomBytes(8).toString('hex'),
    // the pod's identity first: FORWARDER_ATTRIBUTES may override any of it
    attributes: {
      ...(k8s ? k8sAttributes(env, podinfoDir) : {}),
      ...(config.get<Record<string, string>>('attributes') ?? {}),
    },
    ...(k8s && inPod(env) && podinfoDirExists(podinfoDir) ? { podinfoDir } : {}),
  };
}

/** `9464`, `:9464`, `0.0.0.0:9464` or `[::1]:9464`; a port alone listens on loopback only. */
export function parseListenAddress(
  raw: string | undefined,
  where: string,
): { host: string; port: number } | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  const colon = text.lastIndexOf(':');
  let host = colon === -1 ? '' : text.slice(0, colon);
  const portText = colon === -1 ? text : text.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port <= 65535) || host.includes(':') !== text.startsWith('[')) {
    throw new ConfigError(
      `${where} is not a listen address: ${JSON.stringify(raw)} (use host:port, [v6]:port, or a port)`,
    );
  }
  return { host: host || '127.0.0.1', port };
}
