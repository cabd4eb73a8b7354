import { parseSettingValue } from '../config/parse-value.js';
import { CORE_SETTINGS, type SettingDef } from '../config/settings.js';
import { ChildSource } from '../sources/child.js';
import { type DroppedRun, droppedRunOf } from './dropped-run.js';
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
  #sink: HeldSink | undefined;
  /**
   * per stream, what went past the bound: counted as it comes, nothing of it kept (an app writing
   * flat out while the pipeline loads wrote tens of MB there, each chunk copied and held only to
   * be counted at handover). Once a stream is past the bound, the rest of its output until
   * handover is too: nothing of it is shipped ahead of its gap.
   */
  readonly #overflow = new Map<'stdout' | 'stderr', DroppedRun>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  readonly onChunk = (stream: 'stdout' | 'stderr', chunk: Buffer, readAt: number): void => {
    ownStderr.passed(chunk, stream);
    if (this.#sink) {
      this.#sink(stream, chunk, readAt, false);
      return;
    }
    const over = this.#overflow.get(stream);
    if (over || this.#heldBytes + chunk.length > this.#maxBytes) {
      const run = droppedRunOf(chunk);
      if (over) {
        over.bytes += run.bytes;
        over.newlines += run.newlines;
        over.endsMidLine = run.endsMidLine;
      } else this.#overflow.set(stream, run);
      return;
    }
    // a copy: the reader reuses the chunk's memory (ChildHandlers.onChunk)
    this.#held.push({ stream, chunk: Buffer.from(chunk), readAt });
    this.#heldBytes += chunk.length;
  };

  /**
   * From now on chunks go to `sink`; what was held goes first (each chunk a private copy, `owned`:
   * the sink may keep it as it is), then what was cut is reported to `lost`, one run per stream.
   */
  attach(sink: HeldSink, lost: (stream: 'stdout' | 'stderr', run: DroppedRun) => void): void {
    this.#sink = sink;
    const held = this.#held;
    this.#held = [];
    this.#heldBytes = 0;
    for (const h of held) sink(h.stream, h.chunk, h.readAt, true);
    for (const [stream, run] of this.#overflow) lost(stream, run);
    this.#overflow.clear();
  }
}

/**
 * Takes the app's output from HeldOutput. `owned`: the chunk is a private copy; otherwise it is
 * the reader's buffer, read into again after the call (ChildHandlers.onChunk).
 */
export type HeldSink = (stream: 'stdout' | 'stderr', chunk: Buffer, readAt: number, owned: boolean) => void;

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
