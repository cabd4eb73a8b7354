// A burst that a SIGTERM interrupts: writes `line=NNNNNNNNN` lines in chunks, yielding between chunks
// so the signal is handled; on SIGTERM it writes `tail` more lines (its last words, well within any
// deadline), then a final `burst done total=N` line, and exits 0 once stdout has taken it all
// (a pipe write is asynchronous: process.exit() right away would lose the tail).
//   burst-term.mjs [tail=5000]
const tail = Number(process.argv[2] ?? 5000);
const pad = 'x'.repeat(60);
let i = 0;
let stopping = false;
const lines = (n) => {
  let s = '';
  for (let k = 0; k < n; k++, i++)
    s += `2024-05-14T09:21:07.412Z INFO burst line=${String(i).padStart(9, '0')} ${pad}\n`;
  return s;
};
process.on('SIGTERM', () => {
  stopping = true;
  process.stdout.write(lines(tail));
  process.stdout.write(`burst done total=${i}\n`, () => process.exit(0));
});
process.stdout.write('burst ready\n');
function next() {
  if (stopping) return;
  process.stdout.write(lines(50));
  setTimeout(next, 1);
}
next();
