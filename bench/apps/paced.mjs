// Writes `rate` lines per second for `seconds`, each carrying its write time (epoch ms, µs precision):
//   paced.mjs <rate=1000> <seconds=10>
// Line: `<iso> INFO latency probe n=<i> t=<epoch ms> <pad>` (~120 bytes).
const rate = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 10);
const total = Math.round(rate * seconds);
const pad = 'x'.repeat(40);
const t0 = performance.now();
let i = 0;
function tick() {
  const elapsed = performance.now() - t0;
  const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
  let chunk = '';
  for (; i < due; i++) {
    const now = performance.timeOrigin + performance.now();
    chunk += `${new Date(now).toISOString()} INFO latency probe n=${i} t=${now.toFixed(3)} ${pad}\n`;
  }
  if (chunk) process.stdout.write(chunk);
  if (i >= total) clearInterval(timer);
}
const timer = setInterval(tick, 2);
tick();
