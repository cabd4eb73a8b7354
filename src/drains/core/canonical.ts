import type { Identity, LogEvent } from '../../pipeline/event.js';
import { levelName } from '../../pipeline/levels.js';
import { errorFragment, fieldsFragment, traceFragment } from './fields.js';
import { jsonString } from './json-string.js';

/**
 * The canonical event as JSON (README "The canonical event"), shared by the file and webhook
 * drains. trace_id, span_id, error and fields appear when the event has them. The identity part is the same for every event of a process, so it is built once.
 */
export function canonicalEncoder(id: Identity): (ev: LogEvent) => string {
  const tail = `,"agent_id":${JSON.stringify(id.agentId)},"worker_id":${JSON.stringify(id.workerId)},"hostname":${JSON.stringify(id.hostname)},"instance":${JSON.stringify(id.instance)},"attributes":${JSON.stringify(id.attributes)}`;
  const levelPrefix = new Map<number, string>();
  for (const n of [10, 20, 30, 40, 50, 60]) levelPrefix.set(n, `,"level":"${levelName(n)}","stream":`);
  const streams = new Map<string, string>();
  return (ev) => {
    let stream = streams.get(ev.stream);
    if (stream === undefined) {
      stream = JSON.stringify(ev.stream);
      streams.set(ev.stream, stream);
    }
    const life = ev.kind === undefined ? '' : `,"lifecycle":${JSON.stringify({ kind: ev.kind, ...ev.data })}`;
    const structured =
      ev.traceId === undefined &&
      ev.spanId === undefined &&
      ev.error === undefined &&
      ev.fieldsJson === undefined
        ? ''
        : `${traceFragment(ev, '"trace_id"', '"span_id"')}${errorFragment(ev, '"error"', '"kind"', '"message"', '"stack"', true)}${fieldsFragment(ev, '"fields"')}`;
    return `{"timestamp":${ev.timestamp},"observed_timestamp":${ev.observedTimestamp}${levelPrefix.get(ev.level) ?? levelPrefix.get(30)}${stream},"seq":${ev.seq},"message":${jsonString(ev.message)}${structured}${tail}${life}}`;
  };
}
