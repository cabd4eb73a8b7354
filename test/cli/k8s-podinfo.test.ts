// Issue 17: the pod's downward-API labels / annotations are re-read when the kubelet rewrites them
// (its `..data` symlink swap), and every drain sends the new ones from then on: through the built
// CLI (`pipe`) to the file drain and to the Datadog, New Relic and Loki receivers.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { baseEnv } from '../drains/contract.js';
import { CLI, NODE, readEvents, tempDir, waitForFile } from '../helpers/cli.js';
import { kubeletWrite } from '../helpers/podinfo.js';
import { DatadogReceiver } from '../receivers/datadog.js';
import { LokiReceiver } from '../receivers/loki.js';
import { NewRelicReceiver, newRelicView } from '../receivers/new-relic.js';

const DD_KEY = 'abcdef0123456789abcdef0123456789';
const NR_KEY = 'abcdef0123456789abcdef0123456789abcdNRAL';
const dir = tempDir('fwd-podinfo-cli-');
afterAll(() => dir.cleanup());

describe('k8s labels and annotations followed while running', () => {
  it('a kubelet-style rewrite mid-run: later events carry the new label in the file, Datadog, New Relic and Loki', async () => {
    const podinfo = dir.file('podinfo');
    mkdirSync(podinfo);
    kubeletWrite(podinfo, { labels: 'app="orders"\nversion="1"\n', annotations: 'team="core"\n' });
    const file = dir.file('events.ndjson');
    const dd = await new DatadogReceiver({ apiKeys: [DD_KEY] }).start();
    const nr = await new NewRelicReceiver({ keys: [NR_KEY] }).start();
    const loki = await new LokiReceiver({}).start();
    try {
      const child = spawn(NODE, [CLI, 'pipe'], {
        env: baseEnv({
          FORWARDER_FILE: file,
          DATADOG_TOKEN: DD_KEY,
          DATADOG_URL: `${dd.url}/api/v2/logs`,
          NEW_RELIC_LICENSE_KEY: NR_KEY,
          NEW_RELIC_URL: nr.url,
          LOKI_URL: loki.url,
          POD_NAME: 'orders-7d9f',
          POD_NAMESPACE: 'shop',
          CONTAINER_NAME: 'app',
          FORWARDER_K8S_PODINFO_DIR: podinfo,
          FORWARDER_K8S_PODINFO_POLL: '100ms',
          FORWARDER_ATTRIBUTES: 'env=prod',
          FORWARDER_LOG_LEVEL: 'debug',
        }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      const changed = new Promise<void>((resolve) =>
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (stderr.includes("the pod's labels / annotations changed")) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.stdin.write('before the change\n');
      await waitForFile(file, (t) => t.includes('before the change'));
      await dd.waitFor(() => dd.records.some((r) => r.message === 'before the change'), 15_000);
      await loki.waitFor(() => loki.records.some((r) => r.line === 'before the change'), 15_000);
      kubeletWrite(podinfo, { labels: 'app="orders"\nversion="2"\ntier="web"\n', annotations: '' });
      await changed;
      child.stdin.end('after the change\n');
      expect(await exited, stderr).toBe(0);

      const byMessage = (m: string) => readEvents(file).find((e) => e.message === m)!;
      expect(byMessage('before the change').attributes).toEqual({
        'k8s.pod.name': 'orders-7d9f',
        'k8s.namespace.name': 'shop',
        'k8s.container.name': 'app',
        'k8s.pod.label.app': 'orders',
        'k8s.pod.label.version': '1',
        'k8s.pod.annotation.team': 'core',
        env: 'prod',
      });
      expect(byMessage('after the change').attributes).toEqual({
        'k8s.pod.name': 'orders-7d9f',
        'k8s.namespace.name': 'shop',
        'k8s.container.name': 'app',
        'k8s.pod.label.app': 'orders',
        'k8s.pod.label.version': '2',
        'k8s.pod.label.tier': 'web',
        env: 'prod',
      });

      const ddAfter = dd.records.find((r) => r.message === 'after the change')!;
      expect(ddAfter.attributes).toMatchObject({ 'k8s.pod.label.version': '2', 'k8s.pod.label.tier': 'web' });
      expect(Object.keys(ddAfter.attributes as object)).not.toContain('k8s.pod.annotation.team');
      const ddBefore = dd.records.find((r) => r.message === 'before the change')!;
      expect(ddBefore.attributes).toMatchObject({ 'k8s.pod.label.version': '1' });

      const nrAfter = nr.records.map(newRelicView).find((r) => r.message === 'after the change')!;
      // New Relic: the identity is the block's `common` attributes, rebuilt once for the change
      expect(nrAfter).toMatchObject({
        'attributes.k8s.pod.label.version': '2',
        'attributes.k8s.pod.label.tier': 'web',
      });
      expect(Object.keys(nrAfter)).not.toContain('attributes.k8s.pod.annotation.team');

      // Loki: namespace and container as index labels (as Loki's OTLP intake indexes them), the rest
      // of the identity as structured metadata under that intake's names, annotations left out
      const lokiBefore = loki.records.find((r) => r.line === 'before the change')!;
      const lokiAfter = loki.records.find((r) => r.line === 'after the change')!;
      expect(lokiBefore.labels).toMatchObject({ k8s_namespace_name: 'shop', k8s_container_name: 'app' });
      expect(lokiBefore.metadata).toMatchObject({
        k8s_pod_name: 'orders-7d9f',
        k8s_pod_label_app: 'orders',
        k8s_pod_label_version: '1',
        env: 'prod',
      });
      expect(lokiAfter.metadata).toMatchObject({ k8s_pod_label_version: '2', k8s_pod_label_tier: 'web' });
      for (const r of [lokiBefore, lokiAfter]) {
        expect(Object.keys(r.metadata!).filter((k) => k.includes('annotation'))).toEqual([]);
        expect(r.metadata).not.toHaveProperty('k8s_namespace_name');
      }
    } finally {
      await Promise.all([dd.close(), nr.close(), loki.close()]);
      rmSync(podinfo, { recursive: true, force: true });
    }
  });
});
