/**
 * Issue 15, packaging: the Dockerfile. There is no Docker engine where the tests run, so its build
 * stage is replayed here: exactly what it COPYs (nothing else of the repository) in an empty
 * directory standing for its WORKDIR, then its RUN steps in order (`npm ci` stands in as a link to
 * the installed node_modules). Then every file the runtime stage copies from the build stage must
 * exist there, and the entrypoint must be one of them: the image users `COPY --from` holds a
 * `/forwarder` that runs with no node (the executable itself is tested in sea.test.ts).
 */
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileAsync, ROOT, tempDir } from '../helpers/cli.js';

interface Stage {
  name: string;
  from: string;
  workdir: string;
  steps: { kind: 'COPY' | 'RUN'; args: string; from?: string }[];
  entrypoint?: string[];
}

/** The Dockerfile's stages: instructions joined over their `\` continuations, comments left out. */
function stages(text: string): Stage[] {
  const lines = text.replace(/\\\n\s*(#[^\n]*\n\s*)*/g, ' ').split('\n');
  const out: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      out.push({ name: m[2] ?? '', from: m[1]!, workdir: '/', steps: [] });
      continue;
    }
    const stage = out[out.length - 1]!;
    if (op === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, args);
    else if (op === 'RUN') stage.steps.push({ kind: 'RUN', args });
    else if (op === 'COPY') {
      const from = /--from=(\S+)/.exec(args)?.[1];
      stage.steps.push({ kind: 'COPY', args: args.replace(/--\S+\s+/g, ''), from });
    } else if (op === 'ENTRYPOINT') stage.entrypoint = JSON.parse(args) as string[];
  }
  return out;
}

const dockerfile = stages(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const build = dockerfile.find((s) => s.name === 'build')!;
const runtime = dockerfile[dockerfile.length - 1]!;
const context = tempDir('fwd-docker-');
afterAll(() => context.cleanup());

describe('the Dockerfile', () => {
  it('its build stage builds the bundle and the executable from what it copies, and nothing else', async () => {
    expect(build.from).toMatch(/^node:20/);
    for (const step of build.steps) {
      if (step.kind === 'COPY') {
        const parts = step.args.split(' ');
        const dest = posix.resolve(build.workdir, parts.pop()!);
        for (const src of parts) {
          const target = dest.endsWith('/') || parts.length > 1 ? join(dest, src) : dest;
          cpSync(join(ROOT, src), join(context.path, posix.relative(build.workdir, target)), {
            recursive: true,
          });
        }
      } else if (step.args.startsWith('npm ci')) {
        symlinkSync(join(ROOT, 'node_modules'), join(context.path, 'node_modules'));
      } else {
        await execFileAsync('sh', ['-c', step.args], {
          cwd: context.path,
          env: { PATH: process.env.PATH ?? '', HOME: context.path },
        });
      }
    }
  }, 300_000);

  it('its runtime stage copies what the build made, and its entrypoint is the executable under tini', () => {
    const fromBuild = runtime.steps.filter((s) => s.kind === 'COPY' && s.from === 'build');
    const destinations: string[] = [];
    for (const step of fromBuild) {
      const [src, dest] = step.args.split(' ');
      expect(existsSync(join(context.path, posix.relative(build.workdir, src!))), src).toBe(true);
      destinations.push(dest!);
    }
    expect(destinations).toContain('/forwarder');
    expect(runtime.entrypoint).toEqual(['tini', '--', '/forwarder']);
    // no node in the runtime image: /forwarder carries its own
    expect(runtime.from).not.toMatch(/^node:/);
  });
});
