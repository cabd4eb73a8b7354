import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { baseEnv } from '../drains/contract.js';
import { runCli } from './cli.js';

/** The file drain's events at `file`, in order. */
export function fileEvents<T = Record<string, unknown>>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
}

/** `lines` through `forwarder pipe` into the file drain at `file`: the app's (stdout) events, in order. */
export async function pipedEvents<T extends { stream: string }>(
  file: string,
  lines: readonly string[],
): Promise<T[]> {
  const res = await runCli(['pipe'], {
    env: baseEnv({ FORWARDER_FILE: file }),
    input: `${lines.join('\n')}\n`,
  });
  expect(res.code, res.stderr.toString()).toBe(0);
  return fileEvents<T>(file).filter((e) => e.stream === 'stdout');
}
