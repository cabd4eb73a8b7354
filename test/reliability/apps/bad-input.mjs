// Writes hostile output, in this order, then exits 0:
//  1. `mb` MB of seeded random bytes (newlines where they fall, ~1 in 256 bytes);
//  2. invalid UTF-8 (stray continuation bytes, truncated and overlong sequences, surrogates, 0xFF);
//  3. NULs inside lines and a line of 4,096 NULs;
//  4. an ANSI flood: 2 MB of colour codes with little text, unterminated CSI and OSC sequences;
//  5. a carriage-return progress bar: 20,000 updates on one line, then a newline;
//  6. the marker line `bad-input marker` (on stdout and stderr);
//  7. a `big` MB line with no newline at all, then exit.
//   bad-input.mjs [mb=50] [big=20]
const mb = Number(process.argv[2] ?? 50);
const big = Number(process.argv[3] ?? 20);
const out = process.stdout;

let a = 0x9e3779b9;
function fill(buf) {
  for (let i = 0; i < buf.length; i += 4) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    buf.writeUInt32LE((t ^ (t >>> 14)) >>> 0, i);
  }
  return buf;
}
const CHUNK = 64 * 1024;
for (let left = mb * 1024 * 1024; left > 0; left -= CHUNK)
  out.write(fill(Buffer.alloc(Math.min(CHUNK, left) & ~3)));
out.write('\n');
const invalid = [
  [0x80, 0x81, 0xbf],
  [0xe2, 0x82],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff, 0xfe, 0xfd],
  [0xf0, 0x9f, 0x98],
];
for (let i = 0; i < 1000; i++) {
  out.write(
    Buffer.concat([
      Buffer.from(`invalid utf-8 ${i}: `),
      Buffer.from(invalid[i % invalid.length]),
      Buffer.from(' end\n'),
    ]),
  );
}
for (let i = 0; i < 1000; i++) out.write(`nul\0inside\0line ${i}\0\n`);
out.write(Buffer.concat([Buffer.alloc(4096), Buffer.from('\n')]));
let ansi = '';
while (ansi.length < 2 * 1024 * 1024) ansi += '\x1b[31m\x1b[1;4;38;5;196mx\x1b[0m\x1b]0;title\x07';
out.write(`${ansi}\n`);
out.write('unterminated csi \x1b[12;\n');
out.write('unterminated osc \x1b]8;;https://example.com\n');
for (let i = 0; i <= 20_000; i++)
  out.write(`\r[${'='.repeat(Math.floor(i / 500))}>${' '.repeat(40 - Math.floor(i / 500))}] ${i}/20000`);
out.write('\n');
out.write('bad-input marker\n');
process.stderr.write('bad-input marker\n');
const line = Buffer.alloc(big * 1024 * 1024, 'y');
out.write(line);
