import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface PipeEnds {
  /** ours: opened non-blocking, read through a net.Socket (libuv treats a FIFO as a pipe) */
  read: number;
  /** the app's: blocking, as a shell's `|` gives it; closed on our side once the app has it */
  write: number;
}

/**
 * Real pipes for the app's stdout and stderr. A spawned child's 'pipe' stdio is a UNIX socket pair
 * on Linux (libuv), on which `open("/dev/stdout")` fails with ENXIO and a closed reader gives
 * ECONNRESET instead of SIGPIPE. Node has no call for an anonymous pipe, so each is a FIFO made in
 * a private temporary directory, opened at both ends and unlinked at once: from then on it is a
 * pipe that nothing else can open by name. Undefined when that cannot be done (no `mkfifo`, no
 * writable temporary directory): the caller falls back to socket pairs and says so.
 */
export function makeOsPipes(count: number): PipeEnds[] | undefined {
  let dir: string | undefined;
  let paths: string[] = [];
  const opened: number[] = [];
  try {
    dir = mkdtempSync(join(temporaryDirectory(process.env), 'forwarder-'));
    paths = Array.from({ length: count }, (_, i) => join(dir!, `pipe${i}`));
    // Only PATH of our environment: node copies and checks every variable it is given, ~0.5 ms
    // here, before the app starts.
    const made = spawnSync('mkfifo', ['-m', '600', ...paths], {
      stdio: 'ignore',
      env: process.env.PATH === undefined ? {} : { PATH: process.env.PATH },
    });
    if (made.status !== 0) return undefined;
    const ends: PipeEnds[] = [];
    for (const path of paths) {
      // The read end first, non-blocking: opening the write end then finds a reader and does not wait.
      const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      opened.push(read);
      const write = openSync(path, constants.O_WRONLY);
      opened.push(write);
      ends.push({ read, write });
    }
    opened.length = 0;
    return ends;
  } catch {
    for (const fd of opened) closeSync(fd);
    return undefined;
  } finally {
    // what this made, by name (rmSync's recursive walk loads node's rimraf before the app starts)
    for (const path of paths) unlinkQuietly(path);
    if (dir)
      try {
        rmdirSync(dir);
      } catch {
        // not empty or gone: nothing of ours is left to protect
      }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never made (mkfifo failed) or already gone
  }
}

/**
 * os.tmpdir()'s answer on POSIX, without loading node:os before the app starts: TMPDIR, TMP or
 * TEMP, else /tmp, without a trailing slash.
 */
export function temporaryDirectory(env: NodeJS.ProcessEnv): string {
  const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}
