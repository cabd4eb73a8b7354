// Issue 17: the pod's identity from env and downward-API files, under OpenTelemetry's names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { k8sAttributes, parseDownwardFile } from '../../src/pipeline/k8s-identity.js';

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
