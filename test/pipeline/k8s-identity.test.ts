// Issue 17: the pod's identity from env and downward-API files, under OpenTelemetry's names.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { identityFrom } from '../../src/config/index.js';
import type { Identity } from '../../src/pipeline/event.js';
import {
  k8sAttributes,
  MAX_PODINFO_FILE_BYTES,
  PodinfoFollower,
  parseDownwardFile,
} from '../../src/pipeline/k8s-identity.js';
import { loadAll } from '../../src/settings-catalogue.js';
import { kubeletWrite } from '../helpers/podinfo.js';

const dir = mkdtempSync(join(tmpdir(), 'fwd-podinfo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('k8s identity', () => {
  it('reads the downward-API file format (key="value", Go-quoted)', () => {
    expect(
      parseDownwardFile(
        'app="orders"\npod-template-hash="7d9f"\nnote="say \\"hi\\"\\nbye"\nkubectl.kubernetes.io/last-applied-configuration="{huge}"\n\nbroken\n',
      ),
    ).toEqual([
      ['app', 'orders'],
      ['pod-template-hash', '7d9f'],
      ['note', 'say "hi"\nbye'],
    ]);
    const many = Array.from({ length: 100 }, (_, i) => `k${i}="${'v'.repeat(300)}"`).join('\n');
    const parsed = parseDownwardFile(many);
    expect(parsed).toHaveLength(64);
    expect(parsed[0]![1]).toHaveLength(257);
  });

  it('env and files become k8s.* attributes; nothing outside Kubernetes', () => {
    writeFileSync(join(dir, 'labels'), 'app="orders"\ntier="web"\n');
    writeFileSync(join(dir, 'annotations'), 'team="core"\n');
    expect(
      k8sAttributes(
        {
          POD_NAME: 'orders-7d9f',
          POD_NAMESPACE: 'shop',
          NODE_NAME: 'node-3',
          CONTAINER_NAME: 'app',
          POD_UID: 'u-1',
        },
        dir,
      ),
    ).toEqual({
      'k8s.pod.name': 'orders-7d9f',
      'k8s.namespace.name': 'shop',
      'k8s.node.name': 'node-3',
      'k8s.container.name': 'app',
      'k8s.pod.uid': 'u-1',
      'k8s.pod.label.app': 'orders',
      'k8s.pod.label.tier': 'web',
      'k8s.pod.annotation.team': 'core',
    });
    expect(k8sAttributes({}, join(dir, 'absent'))).toEqual({});
    // CONTAINER_NAME alone (other runtimes set it) is not a pod; kubelet's variable is
    expect(k8sAttributes({ CONTAINER_NAME: 'app' }, dir)).toEqual({});
    expect(
      k8sAttributes({ KUBERNETES_SERVICE_HOST: '10.0.0.1', CONTAINER_NAME: 'app' }, join(dir, 'absent')),
    ).toEqual({
      'k8s.container.name': 'app',
    });
  });
});

describe('following the downward-API files (PodinfoFollower)', () => {
  const POLL_MS = 10_000;
  afterEach(() => vi.useRealTimers());

  function follow(podinfo: string, attributes: Record<string, string>, configured = {}) {
    const identity: Identity = { agentId: 'a', workerId: 'w', hostname: 'h', instance: 'i', attributes };
    const warnings: string[] = [];
    let changes = 0;
    const follower = new PodinfoFollower(identity, podinfo, {
      intervalMs: POLL_MS,
      configured,
      onChange: () => changes++,
      warn: (m) => warnings.push(m),
    });
    return { identity, follower, warnings, changes: () => changes };
  }

  it('a kubelet rewrite is taken at the next look: new labels in, removed ones out, env and FORWARDER_ATTRIBUTES kept', () => {
    vi.useFakeTimers();
    const podinfo = mkdtempSync(join(dir, 'kubelet-'));
    kubeletWrite(podinfo, { labels: 'app="orders"\nversion="1"\n', annotations: 'team="core"\n' });
    const start = k8sAttributes({ POD_NAME: 'orders-1' }, podinfo);
    // as identityFrom composes it: the pod's identity, then FORWARDER_ATTRIBUTES over it
    const configured = { env: 'prod', 'k8s.pod.label.version': 'pinned' };
    const f = follow(podinfo, { ...start, ...configured }, configured);
    f.follower.start();
    // what start-up read is what is there: no change
    expect(f.changes()).toBe(0);
    const first = f.identity.attributes;
    vi.advanceTimersByTime(POLL_MS * 3);
    expect(f.changes()).toBe(0);

    kubeletWrite(podinfo, { labels: 'app="orders"\ntier="web"\n', annotations: 'team="payments"\n' });
    vi.advanceTimersByTime(POLL_MS - 1);
    expect(f.identity.attributes).toBe(first);
    vi.advanceTimersByTime(1);
    expect(f.changes()).toBe(1);
    expect(f.identity.attributes).toEqual({
      'k8s.pod.name': 'orders-1',
      env: 'prod',
      'k8s.pod.label.app': 'orders',
      'k8s.pod.label.tier': 'web',
      'k8s.pod.annotation.team': 'payments',
      'k8s.pod.label.version': 'pinned',
    });
    // replaced, never edited: what was built from the old object stays as it was
    expect(first['k8s.pod.annotation.team']).toBe('core');
    vi.advanceTimersByTime(POLL_MS * 5);
    expect(f.changes()).toBe(1);
    // a rewrite with the same content (the kubelet's resync) is no change
    kubeletWrite(podinfo, { labels: 'app="orders"\ntier="web"\n', annotations: 'team="payments"\n' });
    vi.advanceTimersByTime(POLL_MS);
    expect(f.changes()).toBe(1);
    f.follower.stop();
    kubeletWrite(podinfo, { labels: 'app="gone"\n', annotations: '' });
    vi.advanceTimersByTime(POLL_MS * 2);
    expect(f.changes()).toBe(1);
    expect(f.warnings).toEqual([]);
  });

  it('a plain directory (no ..data) is followed by the files themselves', () => {
    vi.useFakeTimers();
    const podinfo = mkdtempSync(join(dir, 'plain-'));
    writeFileSync(join(podinfo, 'labels'), 'app="a"\n');
    const f = follow(podinfo, k8sAttributes({ POD_NAME: 'p' }, podinfo));
    f.follower.start();
    expect(f.changes()).toBe(0);
    writeFileSync(join(podinfo, 'labels'), 'app="bb"\n');
    writeFileSync(join(podinfo, 'annotations'), 'new="1"\n');
    vi.advanceTimersByTime(POLL_MS);
    expect(f.changes()).toBe(1);
    expect(f.identity.attributes).toEqual({
      'k8s.pod.name': 'p',
      'k8s.pod.label.app': 'bb',
      'k8s.pod.annotation.new': '1',
    });
    rmSync(join(podinfo, 'labels'));
    rmSync(join(podinfo, 'annotations'));
    vi.advanceTimersByTime(POLL_MS);
    expect(f.identity.attributes).toEqual({ 'k8s.pod.name': 'p' });
  });

  it('a hostile annotations file is read only up to its cap; each cut is counted and told once', () => {
    vi.useFakeTimers();
    const podinfo = mkdtempSync(join(dir, 'hostile-'));
    const huge = (tag: string) =>
      `big="${'x'.repeat(MAX_PODINFO_FILE_BYTES)}"\n${Array.from({ length: 100 }, (_, i) => `${tag}${i}="v"`).join('\n')}\n`;
    kubeletWrite(podinfo, { labels: 'app="a"\n', annotations: huge('a') });
    const f = follow(podinfo, {});
    f.follower.start();
    expect(f.follower.cuts).toEqual({ files: 1, entries: 0, values: 0 });
    // the over-long first line was not read at all: nothing from the file but what fit
    expect(f.identity.attributes).toEqual({ 'k8s.pod.label.app': 'a' });
    const many = Array.from({ length: 100 }, (_, i) => `k${i}="${'v'.repeat(300)}"`).join('\n');
    kubeletWrite(podinfo, { labels: 'app="a"\n', annotations: many });
    vi.advanceTimersByTime(POLL_MS);
    kubeletWrite(podinfo, { labels: 'app="b"\n', annotations: huge('b') });
    vi.advanceTimersByTime(POLL_MS);
    expect(f.follower.cuts).toEqual({ files: 2, entries: 36, values: 64 });
    expect(f.warnings).toHaveLength(3);
    expect(f.warnings[0]).toMatch(/over 262144 bytes: only its start is read/);
    expect(f.warnings.join('\n')).toContain('FORWARDER_K8S_PODINFO_DIR');
    expect(Object.keys(f.identity.attributes)).toEqual(['k8s.pod.label.app']);
  });

  it('a FIFO (or any non-file) where a file should be is left out, never waited on', () => {
    vi.useFakeTimers();
    const podinfo = mkdtempSync(join(dir, 'fifo-'));
    writeFileSync(join(podinfo, 'labels'), 'app="a"\n');
    execFileSync('mkfifo', [join(podinfo, 'annotations')]);
    const f = follow(podinfo, {});
    f.follower.start();
    expect(f.identity.attributes).toEqual({ 'k8s.pod.label.app': 'a' });
  });

  it('start-up decides what is followed: FORWARDER_K8S on, in a pod, the directory there', () => {
    const podinfo = mkdtempSync(join(dir, 'decide-'));
    const identity = (env: Record<string, string>) => {
      const inputs = { mode: 'pipe' as const, flags: {}, env, configPath: undefined };
      return identityFrom(loadAll(inputs), inputs);
    };
    expect(identity({ POD_NAME: 'p', FORWARDER_K8S_PODINFO_DIR: podinfo }).podinfoDir).toBe(podinfo);
    expect(identity({ FORWARDER_K8S_PODINFO_DIR: podinfo }).podinfoDir).toBeUndefined();
    expect(
      identity({ POD_NAME: 'p', FORWARDER_K8S_PODINFO_DIR: join(podinfo, 'absent') }).podinfoDir,
    ).toBeUndefined();
    expect(
      identity({ POD_NAME: 'p', FORWARDER_K8S_PODINFO_DIR: podinfo, FORWARDER_K8S: 'false' }).podinfoDir,
    ).toBeUndefined();
  });
});
