/** CSI (colours, cursor), OSC (titles, hyperlinks) and two-byte escapes. */
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
const ESC = 0x1b;
/** What a well-formed sequence leaves behind: a lone ESC, or a CSI cut off by the end of the line. */
const ANSI_REMNANT = /\x1b(?:\[[0-?]*[ -/]*)?/g;

function removeAnsi(text: string): string {
  const out = text.replace(ANSI, '');
  return out.indexOf('\x1b') === -1 ? out : out.replace(ANSI_REMNANT, '');
}

/**
 * Bytes → the shipped text: UTF-8 with invalid sequences as U+FFFD (Buffer#toString does the
 * WHATWG replacement), ANSI escapes removed. The pass-through never sees this copy.
 */
export function decodeLine(bytes: Buffer, droppedBytes: number): string {
  let text = bytes.toString('utf8');
  if (bytes.indexOf(ESC) !== -1) text = removeAnsi(text);
  if (droppedBytes > 0) text += `…[truncated ${droppedBytes} bytes]`;
  return text;
}

/**
 * decodeLine of `chunk[start, end)` (a whole line, nothing cut), without a Buffer view of it: the
 * escape is looked for in the text (ESC is one byte in UTF-8, and a byte of its own in the text).
 */
export function decodeSpan(chunk: Buffer, start: number, end: number): string {
  const text = chunk.toString('utf8', start, end);
  return text.indexOf('\x1b') === -1 ? text : removeAnsi(text);
}
