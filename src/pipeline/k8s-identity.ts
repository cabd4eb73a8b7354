import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Identity } from './event.js';

/**
 * Kubernetes identity without API access (README "Structured events"): the pod's own env (set from
 * the downward API, `fieldRef`) and the downward-API volume files `labels` and `annotations` become
 * attributes under OpenTelemetry's names (k8s.pod.name, k8s.namespace.name, k8s.node.name,
 * k8s.container.name, k8s.pod.uid, k8s.pod.label.<key>, k8s.pod.annotation.<key>). The files are
 * followed: when the kubelet rewrites them (a label changed), every drain sends the new ones.
 */
export const K8S_ENV: readonly (readonly [env: string, attribute: string])[] = [
  ['POD_NAME', 'k8s.pod.name'],
  ['POD_NAMESPACE', 'k8s.namespace.name'],
  ['NODE_NAME', 'k8s.node.name'],
  ['CONTAINER_NAME', 'k8s.container.name'],
  ['POD_UID', 'k8s.pod.uid'],
];

const PODINFO_FILES = [
  ['labels', 'k8s.pod.label.'],
  ['annotations', 'k8s.pod.annotation.'],
] as const;

/** Labels or annotations taken from one file, at most; longer values are cut (kubectl's last-applied-configuration is skipped). */
const MAX_ENTRIES = 64;
const MAX_VALUE_CHARS = 256;
/** What is read of one file: Kubernetes caps a pod's annotations at 256 KiB in all, so more is not a kubelet's file. */
export const MAX_PODINFO_FILE_BYTES = 256 * 1024;
const SKIPPED = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** What reading the files had to cut, counted (and told once by the follower). */
export interface PodinfoCuts {
  /** files longer than MAX_PODINFO_FILE_BYTES: the rest was not read */
  files: number;
  /** entries past MAX_ENTRIES in one file */
  entries: number;
  /** values longer than MAX_VALUE_CHARS */
  values: number;
}

/**
 * A downward-API `labels` / `annotations` file: one `key="value"` per line, the value quoted as Go's
 * %q writes it (kubelet's fieldpath.FormatMap).
 */
export function parseDownwardFile(text: string, cuts?: PodinfoCuts): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const raw = line.slice(eq + 1).trim();
    if (SKIPPED.has(key)) continue;
    if (out.length >= MAX_ENTRIES) {
      if (cuts) cuts.entries++;
      continue;
    }
    let value = raw;
    if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
      try {
        value = JSON.parse(raw) as string; // %q's escapes are JSON's for what labels and annotations hold
      } catch {
        value = raw.slice(1, -1);
      }
    }
    if (value.length > MAX_VALUE_CHARS) {
      if (cuts) cuts.values++;
      value = `${value.slice(0, MAX_VALUE_CHARS)}…`;
    }
    out.push([key, value]);
  }
  return out;
}

/**
 * The file's first MAX_PODINFO_FILE_BYTES (its last, partial line left out when cut); undefined when
 * absent or not a regular file (opened non-blocking: a FIFO put there cannot hang the thread).
 */
function readCapped(path: string, cuts: PodinfoCuts): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.allocUnsafe(MAX_PODINFO_FILE_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n <= MAX_PODINFO_FILE_BYTES) return buf.toString('utf8', 0, n);
    cuts.files++;
    const lastNewline = buf.lastIndexOf(0x0a, MAX_PODINFO_FILE_BYTES - 1);
    return buf.toString('utf8', 0, Math.max(lastNewline, 0));
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The labels and annotations in `dir` as k8s.pod.label.* / k8s.pod.annotation.* attributes. */
export function readPodinfo(dir: string, cuts: PodinfoCuts = { files: 0, entries: 0, values: 0 }) {
  const out: Record<string, string> = {};
  for (const [file, prefix] of PODINFO_FILES) {
    const text = readCapped(join(dir, file), cuts);
    if (text !== undefined) for (const [k, v] of parseDownwardFile(text, cuts)) out[prefix + k] = v;
  }
  return out;
}

/**
 * In a pod means: kubelet's KUBERNETES_SERVICE_HOST, or POD_NAME / POD_NAMESPACE set from the
 * downward API (CONTAINER_NAME alone is set by other container runtimes too, and says nothing about a pod).
 */
export function inPod(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST || env.POD_NAME || env.POD_NAMESPACE);
}

/** The pod's identity as attributes; empty outside Kubernetes. */
export function k8sAttributes(
  env: NodeJS.ProcessEnv,
  podinfoDir: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!inPod(env)) return out;
  for (const [name, attribute] of K8S_ENV) {
    const v = env[name]?.trim();
    if (v) out[attribute] = v;
  }
  return podinfoDir ? Object.assign(out, readPodinfo(podinfoDir)) : out;
}

/** Whether the directory is there to be followed (a volume is mounted before the container starts, or never). */
export function podinfoDirExists(dir: string | undefined): dir is string {
  if (!dir) return false;
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function isPodinfoKey(key: string): boolean {
  return key.startsWith('k8s.pod.label.') || key.startsWith('k8s.pod.annotation.');
}

/**
 * What has changed on disk, cheaply: the kubelet's atomic writer puts each version of the volume in
 * a new timestamped directory and swaps the `..data` symlink to it (a rename), so the link's target
 * names the version; a plain directory (no `..data`) is judged by the files' inode, size and mtime.
 */
function podinfoVersion(dir: string): string {
  try {
    return `data:${readlinkSync(join(dir, '..data'))}`;
  } catch {
    // not a kubelet volume: the files themselves
  }
  let out = 'files';
  for (const [file] of PODINFO_FILES) {
    try {
      const s = statSync(join(dir, file));
      out += `:${s.ino}/${s.size}/${s.mtimeMs}`;
    } catch {
      out += ':-';
    }
  }
  return out;
}

export interface PodinfoFollowOptions {
  /** how often the version is looked at (FORWARDER_K8S_PODINFO_POLL) */
  intervalMs: number;
  /** FORWARDER_ATTRIBUTES: they win over the pod's, as at start */
  configured: Readonly<Record<string, string>>;
  /** after identity.attributes was replaced: rebuild what was built from it (once per change) */
  onChange: () => void;
  /** a cut, told once per kind */
  warn: (message: string) => void;
}

/**
 * Follows the pod's downward-API files (identity.podinfoDir): every `intervalMs` one readlink (or
 * two stats); when the version moved, the files are read again (bounded) and, if the attributes
 * differ, `identity.attributes` is replaced by a new object and `onChange` runs. Nothing per line.
 */
export class PodinfoFollower {
  readonly cuts: PodinfoCuts = { files: 0, entries: 0, values: 0 };
  /** reads that changed the attributes */
  changes = 0;
  readonly #identity: Identity;
  readonly #dir: string;
  readonly #o: PodinfoFollowOptions;
  /** the attributes that do not come from the files (env identity, FORWARDER_ATTRIBUTES) */
  readonly #fixed: Record<string, string>;
  readonly #told = new Set<keyof PodinfoCuts>();
  #version: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(identity: Identity, dir: string, o: PodinfoFollowOptions) {
    this.#identity = identity;
    this.#dir = dir;
    this.#o = o;
    this.#fixed = {};
    for (const [k, v] of Object.entries(identity.attributes)) if (!isPodinfoKey(k)) this.#fixed[k] = v;
  }

  /** Looks once now (the files may have moved since start-up), then every interval. */
  start(): void {
    this.poll();
    this.#timer = setInterval(() => this.poll(), this.#o.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  poll(): void {
    const version = podinfoVersion(this.#dir);
    if (version === this.#version) return;
    this.#version = version;
    const next = { ...this.#fixed, ...readPodinfo(this.#dir, this.cuts), ...this.#o.configured };
    this.#tellCuts();
    if (sameRecord(next, this.#identity.attributes)) return;
    this.#identity.attributes = next;
    this.changes++;
    this.#o.onChange();
  }

  #tellCuts(): void {
    const where = `${this.#dir} (FORWARDER_K8S_PODINFO_DIR)`;
    const tell = (kind: keyof PodinfoCuts, message: string): void => {
      if (this.cuts[kind] === 0 || this.#told.has(kind)) return;
      this.#told.add(kind);
      this.#o.warn(message);
    };
    tell(
      'files',
      `a labels or annotations file in ${where} is over ${MAX_PODINFO_FILE_BYTES} bytes: only its start is read`,
    );
    tell(
      'entries',
      `a labels or annotations file in ${where} has over ${MAX_ENTRIES} entries: the rest are left out`,
    );
    tell(
      'values',
      `a label or annotation value in ${where} is over ${MAX_VALUE_CHARS} characters: it is cut`,
    );
  }
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}
