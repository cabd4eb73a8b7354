import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a downward-API volume the way the kubelet's AtomicWriter does: the files go into a new
 * `..<timestamp>` directory, a `..data_tmp` symlink to it is renamed over `..data` (the atomic
 * swap), each visible file is a symlink into `..data`, and the previous version is removed.
 */
export function kubeletWrite(dir: string, files: Record<string, string>): void {
  const version = `..${new Date().toISOString().replace(/[-:T.Z]/g, '_')}${Math.random().toString(36).slice(2, 8)}`;
  mkdirSync(join(dir, version));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, version, name), text);
  let previous: string | undefined;
  try {
    previous = readlinkSync(join(dir, '..data'));
  } catch {
    previous = undefined;
  }
  symlinkSync(version, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const name of Object.keys(files))
    if (!existsSync(join(dir, name))) symlinkSync(join('..data', name), join(dir, name));
  if (previous) rmSync(join(dir, previous), { recursive: true, force: true });
}
