import { parseSettingValue } from '../config/parse-value.js';
import { CORE_SETTINGS, type SettingDef } from '../config/settings.js';
import { ChildSource } from '../sources/child.js';
import { signalInbox, terminalAlreadyDelivered } from './signals.js';
import { ownStderr } from './stderr.js';

/**
 * The app's output read before the pipeline exists: held (up to FORWARDER_PIPELINE_BUFFER_BYTES,
 * beyond which the shipped copy is dropped and counted as the backlog would), then handed over in
 * order. The pass-through never waits for it: this is only the copy that will be shipped.
 */
export class HeldOutput {
  #held: { stream: 'stdout' | 'stderr'; chunk: Buffer; readAt: number }[] = [];
  #heldBytes = 0;
  readonly #maxBytes: number;
  #sink: ((stream: 'stdout' | 'stderr', chunk: Buffer, readAt: number) => void) | undefined;
  #lost: ((stream: 'stdout' | 'stderr', chunk: Buffer) => void) | undefined;
  /** chunks past the bound, kept only until handover so the loss can be counted and marked */
  #overflow: { stream: 'stdout' | 'stderr'; chunk: Buffer }[] = [];

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  readonly onChunk = (stream: 'stdout' | 'stderr', chunk: Buffer, readAt: number): void => {
    ownStderr.passed(chunk, stream);
    if (this.#sink) {
      this.#sink(stream, chunk, readAt);
      return;
    }
    if (this.#heldBytes + chunk.length > this.#maxBytes) {
      // Only the first bytes past the bound are kept (to count lines); the rest are counted by size.
      this.#overflow.push({ stream, chunk: Buffer.from(chunk) });
      return;
    }
    // a copy: the reader reuses the chunk's memory (ChildHandlers.onChunk)
    this.#held.push({ stream, chunk: Buffer.from(chunk), readAt });
    this.#heldBytes += chunk.length;
  };

  /** From now on chunks go to `sink`; what was held goes first, then what was cut is reported to `lost`. */
  attach(
    sink: (stream: 'stdout' | 'stderr', chunk: Buffer, readAt: number) => void,
    lost: (stream: 'stdout' | 'stderr', chunk: Buffer) => void,
  ): void {
    this.#sink = sink;
    this.#lost = lost;
    for (const h of this.#held) sink(h.stream, h.chunk, h.readAt);
    for (const o of this.#overflow) this.#lost(o.stream, o.chunk);
    this.#held = [];
    this.#overflow = [];
    this.#heldBytes = 0;
  }
}

export interface EarlyRun {
  command: string;
  child: ChildSource;
  held: HeldOutput;
}

/**
 * Spawn first: `forwarder run [core flags] [--] command args…` starts the app before the command
 * line parser, the YAML reader, the logger or any drain is loaded, once the core settings given
 * by flags and the environment are all valid. Anything that could stop the app from starting, or
 * that this small reader does not know, takes the ordinary path instead (which reads everything,
 * then spawns): a YAML file (FORWARDER_CONFIG, --config), FORWARDER_STRICT, --check-first,
 * --metrics-addr, --help, an unknown flag, a bad value (reported there, exit 78).
 */
export function spawnEarly(argv: readonly string[], env: NodeJS.ProcessEnv): EarlyRun | undefined {
  if (argv[2] !== 'run' || env.FORWARDER_CONFIG) return undefined;
  const flags = new Map<string, unknown>();
  const tokens = argv.slice(3);
  let i = 0;
  for (; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === '--') {
      i++;
      break;
    }
    if (!tok.startsWith('-')) break;
    // A short option (-h) is commander's to read.
    if (!tok.startsWith('--')) return undefined;
    const eq = tok.indexOf('=');
    const name = tok.slice(2, eq === -1 ? undefined : eq);
    const negated = CORE_SETTINGS.find(
      (d) => d.type === 'bool' && d.default === true && `no-${d.flag}` === name,
    );
    if (negated) {
      if (eq !== -1) return undefined;
      flags.set(negated.key, false);
      continue;
    }
    const def = CORE_SETTINGS.find((d) => d.flag === name && runs(d));
    if (!def || (def.type === 'bool' && def.default === true)) return undefined;
    if (def.type === 'bool') {
      if (eq !== -1) return undefined;
      flags.set(def.key, true);
    } else if (eq !== -1) {
      flags.set(def.key, tok.slice(eq + 1));
    } else {
      if (i + 1 >= tokens.length) return undefined;
      flags.set(def.key, tokens[++i]);
    }
  }
  const command = tokens[i];
  if (!command?.trim()) return undefined;
  const values = new Map<string, unknown>();
  for (const def of CORE_SETTINGS) {
    let raw = flags.get(def.key);
    let where = `--${def.flag}`;
    if (raw === undefined) {
      for (const name of [def.env, ...(def.aliases ?? [])]) {
        if (env[name] !== undefined && env[name] !== '') {
          raw = env[name];
          where = name;
          break;
        }
        if (def.secret && env[`${name}_FILE`]) return undefined;
      }
    }
    if (raw === undefined) {
      values.set(def.key, def.default);
      continue;
    }
    if (def.key === 'metrics_addr' || (def.key === 'agent_id' && String(raw).trim() === '')) return undefined;
    try {
      values.set(def.key, typeof raw === 'boolean' ? raw : parseSettingValue(def, raw, where));
    } catch {
      return undefined;
    }
  }
  if (values.get('strict') === true) return undefined;
  const group = values.get('signal_group') === true;
  const held = new HeldOutput(Number(values.get('pipeline_buffer_bytes')));
  const child = new ChildSource(command, tokens.slice(i + 1), { detached: group, handlers: held });
  signalInbox.listen((signal) => {
    if (!terminalAlreadyDelivered(signal, group)) child.kill(signal, group);
  });
  return { command, child, held };
}

function runs(def: SettingDef): boolean {
  return !def.commands || def.commands.includes('run');
}
