import { readdirSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/**
 * A path pattern with `*`, `?`, `[…]` and `**` (any number of directories), matched one directory
 * level at a time with readdir (Node 20 has no fs.glob). As in a shell, a wildcard does not match a
 * leading dot. Compiled once; `expand()` runs on every poll.
 */
export class PathGlob {
  readonly pattern: string;
  /** the directory up to the first wildcard: watched for new files */
  readonly base: string;
  readonly #segments: (string | RegExp | typeof GLOBSTAR)[];
  readonly #root: string;

  constructor(pattern: string) {
    const abs = isAbsolute(pattern) ? pattern : resolve(pattern);
    this.pattern = abs;
    const parts = abs.split(sep).filter((p) => p !== '');
    this.#root = sep;
    let i = 0;
    while (i < parts.length - 1 && !hasMagic(parts[i]!)) i++;
    this.base = join(sep, ...parts.slice(0, i));
    this.#segments = parts.map((p) => (p === '**' ? GLOBSTAR : hasMagic(p) ? segmentRegex(p) : p));
  }

  /** Every regular-or-not entry path that matches now (the caller stats them). */
  expand(): string[] {
    const out: string[] = [];
    this.#walk(this.#root, 0, out);
    return out;
  }

  #walk(dir: string, i: number, out: string[]): void {
    const seg = this.#segments[i];
    if (seg === undefined) return;
    const last = i === this.#segments.length - 1;
    if (typeof seg === 'string') {
      const path = join(dir, seg);
      if (last) out.push(path);
      else this.#walk(path, i + 1, out);
      return;
    }
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (seg === GLOBSTAR) {
      // zero directories, then each sub-directory again
      this.#walk(dir, i + 1, out);
      for (const e of entries)
        if (e.isDirectory() && e.name[0] !== '.') this.#walk(join(dir, e.name), i, out);
      return;
    }
    for (const e of entries) {
      if (!seg.test(e.name)) continue;
      const path = join(dir, e.name);
      if (last) out.push(path);
      else if (e.isDirectory() || e.isSymbolicLink()) this.#walk(path, i + 1, out);
    }
  }
}

const GLOBSTAR = Symbol('**');

function hasMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

function segmentRegex(seg: string): RegExp {
  let re = seg[0] === '.' ? '' : '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        let cls = seg.slice(i + 1, end);
        if (cls[0] === '!') cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
