/**
 * The one shape that flows from the pipeline to the drains (see README "The canonical event").
 * A class with every field set in the constructor keeps V8 on one hidden class: no spread,
 * no optional fields added later.
 */
export type StreamName = 'stdout' | 'stderr' | 'forwarder' | (string & {});

export class LogEvent {
  constructor(
    /** epoch ms when the line was read (or the record's own time, for CRI / docker-json) */
    public timestamp: number,
    /** ANSI-free valid UTF-8; grouped lines joined with "\n"; truncated with a marker if over the cap */
    public message: string,
    /** one of the numbers in levels.ts, never NO_LEVEL */
    public level: number,
    public stream: StreamName,
    /** monotonic per process; with `instance`, a stable id for dedupe */
    public seq: number,
    /** lifecycle events: started / exited / failed / files; undefined for app lines */
    public kind: string | undefined,
    /** extra key/values for lifecycle events (pid, code, signal...); undefined for app lines */
    public data: Record<string, unknown> | undefined,
  ) {}
}

/** Identity shared by every event of a process: computed once, never per line. */
export interface Identity {
  agentId: string;
  workerId: string;
  hostname: string;
  instance: string;
  /** from configuration (FORWARDER_ATTRIBUTES); never secrets */
  attributes: Record<string, string>;
}
