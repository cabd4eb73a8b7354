import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'examples/kubernetes');
const API_VERSIONS: Record<string, string> = {
  Pod: 'v1',
  Secret: 'v1',
  Deployment: 'apps/v1',
  DaemonSet: 'apps/v1',
};
const DOWNWARD: Record<string, string> = {
  POD_NAME: 'metadata.name',
  POD_NAMESPACE: 'metadata.namespace',
  NODE_NAME: 'spec.nodeName',
};

// biome-ignore lint/suspicious/noExplicitAny: parsed manifests are checked field by field
type Obj = Record<string, any>;

function load(name: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(join(DIR, name), 'utf8'));
  for (const d of docs) expect(d.errors, name).toEqual([]);
  return docs.map((d) => d.toJS() as Obj).filter((d) => d !== null);
}

function podSpec(m: Obj): Obj {
  return m.kind === 'Pod' ? m.spec : m.spec.template.spec;
}

function forwarder(spec: Obj): Obj {
  const all = [...(spec.initContainers ?? []), ...spec.containers] as Obj[];
  const c = all.find((x) =>
    [...(x.command ?? []), ...(x.args ?? [])].some((a: string) => /^(run|tail)$/.test(a)),
  );
  expect(c, 'a container runs forwarder').toBeDefined();
  return c!;
}

function checkForwarderEnv(c: Obj, secretNames: Set<string>): void {
  const refs = (c.envFrom ?? []).map((e: Obj) => e.secretRef?.name);
  expect(refs.length).toBeGreaterThan(0);
  for (const r of refs) expect(secretNames.has(r), `envFrom secret ${r} is defined`).toBe(true);
  const env = new Map((c.env ?? []).map((e: Obj) => [e.name, e]));
  for (const [name, path] of Object.entries(DOWNWARD)) {
    expect((env.get(name) as Obj | undefined)?.valueFrom?.fieldRef?.fieldPath, name).toBe(path);
  }
}

describe('examples/kubernetes', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  const secrets = new Set(
    files.flatMap((f) =>
      load(f)
        .filter((m) => m.kind === 'Secret')
        .map((m) => m.metadata.name as string),
    ),
  );

  it('every manifest parses and has a known kind with its apiVersion and a name', () => {
    expect(files).toEqual(
      expect.arrayContaining(['sidecar-pod.yaml', 'entrypoint-deployment.yaml', 'secret.yaml']),
    );
    for (const f of files)
      for (const m of load(f)) {
        expect(API_VERSIONS[m.kind], `${f}: kind ${m.kind}`).toBeDefined();
        expect(m.apiVersion, `${f}: ${m.kind}`).toBe(API_VERSIONS[m.kind]);
        expect(m.metadata?.name, f).toMatch(/^[a-z0-9-]+$/);
      }
  });

  it('the sidecar Pod runs `forwarder tail` as a native sidecar on a shared emptyDir', () => {
    const [pod] = load('sidecar-pod.yaml');
    const spec = podSpec(pod!);
    const c = forwarder(spec);
    expect(spec.initContainers).toContain(c);
    expect(c.restartPolicy).toBe('Always');
    expect(c.args[0]).toBe('tail');
    expect(c.args).toContain('--state-dir');
    const glob = c.args.at(-1) as string;
    const logs = c.volumeMounts.find((v: Obj) => glob.startsWith(`${v.mountPath}/`));
    expect(logs, 'the tailed path is a mounted volume').toBeDefined();
    const vol = spec.volumes.find((v: Obj) => v.name === logs.name);
    expect(vol.emptyDir).toBeDefined();
    const app = spec.containers[0] as Obj;
    expect(app.volumeMounts.map((v: Obj) => v.name)).toContain(logs.name);
    checkForwarderEnv(c, secrets);
  });

  it('the Deployment uses entrypoint mode: forwarder run -- <app>', () => {
    const [dep] = load('entrypoint-deployment.yaml');
    expect(dep!.kind).toBe('Deployment');
    expect(dep!.spec.selector.matchLabels).toEqual(dep!.spec.template.metadata.labels);
    const c = forwarder(podSpec(dep!));
    expect(c.command).toEqual(['forwarder', 'run', '--']);
    expect(c.args.length).toBeGreaterThan(0);
    checkForwarderEnv(c, secrets);
  });

  it('the node variant tails the CRI layout under /var/log/pods', () => {
    const [ds] = load('node-pods-daemonset.yaml');
    const c = forwarder(podSpec(ds!));
    expect(c.args.slice(0, 3)).toEqual(['tail', '--format', 'cri']);
    expect(c.args.at(-1)).toBe('/var/log/pods/*/*/*.log');
    checkForwarderEnv(c, secrets);
  });
});
