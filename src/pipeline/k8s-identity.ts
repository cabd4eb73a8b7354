import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Kubernetes identity without API access (README "Structured events"): the pod's own env (set from
 * the downward API, `fieldRef`) and the downward-API volume files `labels` and `annotations` become
 * attributes under OpenTelemetry's names (k8s.pod.name, k8s.namespace.name, k8s.node.name,
 * k8s.container.name, k8s.pod.uid, k8s.pod.label.<key>, k8s.pod.annotation.<key>).
 */
export const K8S_ENV: readonly (readonly [env: string, attribute: string])[] = [
  ['POD_NAME', 'k8s.pod.name'],
  ['POD_NAMESPACE', 'k8s.namespace.name'],
  ['NODE_NAME', 'k8s.node.name'],
  ['CONTAINER_NAME', 'k8s.container.name'],
  ['POD_UID', 'k8s.pod.uid'],
];

/** Labels or annotations taken from one file, at most; longer values are cut (kubectl's last-applied-configuration is skipped). */
const MAX_ENTRIES = 64;
const MAX_VALUE_CHARS = 256;
const SKIPPED = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/**
 * A downward-API `labels` / `annotations` file: one `key="value"` per line, the value quoted as Go's
 * %q writes it (kubelet's fieldpath.FormatMap).
 */
export function parseDownwardFile(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const raw = line.slice(eq + 1).trim();
    if (SKIPPED.has(key)) continue;
    let value = raw;
    if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
      try {
        value = JSON.parse(raw) as string; // %q's escapes are JSON's for what labels and annotations hold
      } catch {
        value = raw.slice(1, -1);
      }
    }
    out.push([key, value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value]);
    if (out.length >= MAX_ENTRIES) break;
  }
  return out;
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The pod's identity as attributes; empty outside Kubernetes. In a pod means: kubelet's
 * KUBERNETES_SERVICE_HOST, or POD_NAME / POD_NAMESPACE set from the downward API (CONTAINER_NAME
 * alone is set by other container runtimes too, and says nothing about a pod).
 */
export function k8sAttributes(
  env: NodeJS.ProcessEnv,
  podinfoDir: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!env.KUBERNETES_SERVICE_HOST && !env.POD_NAME && !env.POD_NAMESPACE) return out;
  for (const [name, attribute] of K8S_ENV) {
    const v = env[name]?.trim();
    if (v) out[attribute] = v;
  }
  if (podinfoDir) {
    for (const [file, prefix] of [
      ['labels', 'k8s.pod.label.'],
      ['annotations', 'k8s.pod.annotation.'],
    ] as const) {
      const text = readIfThere(join(podinfoDir, file));
      if (text !== undefined) for (const [k, v] of parseDownwardFile(text)) out[prefix + k] = v;
    }
  }
  return out;
}
