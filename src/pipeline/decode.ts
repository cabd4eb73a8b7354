/** CSI (colours, cursor), OSC (titles, hyperlinks) and two-byte escapes. */
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
const ESC = 0x1b;

/**
 * Bytes → the shipped text: UTF-8 with invalid sequences as U+FFFD (Buffer#toString does the
 * WHATWG replacement), ANSI escapes removed. The pass-through never sees this copy.
 */
export function decodeLine(bytes: Buffer, droppedBytes: number): string {
  let text = bytes.toString('utf8');
  if (bytes.indexOf(ESC) !== -1) text = text.replace(ANSI, '');
  if (droppedBytes > 0) text += `…[truncated ${droppedBytes} bytes]`;
  return text;
}

export function stripAnsi(text: string): string {
  return text.indexOf('\x1b') === -1 ? text : text.replace(ANSI, '');
}
