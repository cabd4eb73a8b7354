import { ERROR, WARN } from '../levels.js';
import { cc } from './chars.js';

/** Ends with `Error`/`Exception`/`Throwable` (error) or `Warning` (warn) identifier at s..e, else -1. */
export function exceptionSuffix(s: string, ps: number, e: number): number {
  const n = e - ps;
  switch (cc(s, e - 1)) {
    case 114: // r
      return n >= 5 && s.startsWith('Error', e - 5) ? ERROR : -1;
    case 110: // n
      return n >= 9 && s.startsWith('Exception', e - 9) ? ERROR : -1;
    case 101: // e
      return n >= 9 && s.startsWith('Throwable', e - 9) ? ERROR : -1;
    case 103: // g
      return n >= 7 && s.startsWith('Warning', e - 7) ? WARN : -1;
  }
  return -1;
}

/** The runtimes whose traces the grouper follows (families.ts names one per family). */
export type TraceKind = 'python' | 'java' | 'go' | 'node' | 'ruby' | 'dotnet' | 'rust' | 'php';
