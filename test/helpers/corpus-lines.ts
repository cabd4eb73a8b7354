import { readdirSync, readFileSync, statSync } from 'node:fs';

/** The app lines of every .jsonl corpus under `dir` and its folders, in name order (each record's `line` or `lines`). */
export function corpusLines(dir: URL): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) out.push(...corpusLines(new URL(`${name}/`, dir)));
    else if (name.endsWith('.jsonl'))
      for (const l of readFileSync(url, 'utf8').split('\n')) {
        if (l === '') continue;
        const rec = JSON.parse(l) as { line?: unknown; lines?: unknown };
        if (typeof rec.line === 'string') out.push(rec.line);
        else if (Array.isArray(rec.lines))
          out.push(...rec.lines.filter((x): x is string => typeof x === 'string'));
      }
  }
  return out;
}
