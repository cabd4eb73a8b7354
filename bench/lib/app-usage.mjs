// Preloaded into a benchmark's app (`node --import ./bench/lib/app-usage.mjs app.mjs`): at exit it
// writes, to $BENCH_APP_USAGE, when the process started, first wrote and ended (epoch ms, the app's
// own clock) and its own CPU time, so the harness can time the app alone and subtract its CPU from
// the forwarder's children total.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_APP_USAGE;
if (file) {
  let firstWriteAt;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    // wrapped until the first write only: no cost afterwards
    stream.write = function (...args) {
      firstWriteAt ??= performance.timeOrigin + performance.now();
      stream.write = write;
      return write.apply(this, args);
    };
  }
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        startedAt: performance.timeOrigin,
        firstWriteAt,
        exitedAt: performance.timeOrigin + performance.now(),
        userUs: u.userCPUTime,
        sysUs: u.systemCPUTime,
        maxRssKb: u.maxRSS,
      }),
    );
  });
}
