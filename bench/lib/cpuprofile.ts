/** Self time per function from a V8 .cpuprofile (what `node --cpu-prof` writes, one file per thread). */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  selfMs: number;
  /** share of the non-idle time, in % */
  pct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  top: SelfTime[];
}

function shortUrl(url: string): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const i = path.indexOf('/node_modules/');
  if (i !== -1) return path.slice(i + 1);
  const d = path.indexOf('/dist/');
  if (d !== -1) return path.slice(d + 1);
  return path.startsWith('node:') ? path : path.split('/').slice(-2).join('/');
}

/** The `n` functions with the most self time (idle excluded from the percentages). */
export function topSelfTime(file: string, n = 10): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const node of p.nodes) byId.set(node.id, node);
  const self = new Map<string, { name: string; where: string; us: number }>();
  let idle = 0;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: charge it to the sample that ends it
    const us = p.timeDeltas[i + 1] ?? 0;
    total += us;
    const node = byId.get(p.samples[i]!);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const e = self.get(key) ?? { name, where, us: 0 };
    e.us += us;
    self.set(key, e);
  }
  const busy = Math.max(1, total - idle);
  const top = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, n)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1000, pct: (100 * e.us) / busy }));
  return { file, totalMs: total / 1000, idleMs: idle / 1000, top };
}

export function formatTop(s: ProfileSummary): string {
  const lines = [
    `${s.file}: ${(s.totalMs / 1000).toFixed(2)} s sampled, ${((s.totalMs - s.idleMs) / 1000).toFixed(2)} s busy`,
  ];
  for (const [i, t] of s.top.entries()) {
    lines.push(
      `${String(i + 1).padStart(3)}. ${t.selfMs.toFixed(0).padStart(7)} ms ${t.pct.toFixed(1).padStart(5)}%  ${t.name}  ${t.where}`,
    );
  }
  return lines.join('\n');
}
