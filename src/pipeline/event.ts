/**
 * The one shape that flows from the pipeline to the drains (see README "The canonical event").
 * A class with every field set in the constructor keeps V8 on one hidden class: no spread,
 * no optional fields added later. The structured part (observedTimestamp … error) is assigned
 * in the constructor too, undefined when absent; the pipeline fills it in place before the event
 * is shared with any drain.
 */
export type StreamName = 'stdout' | 'stderr' | 'forwarder' | (string & {});

/** What a grouped stack trace (or an app's own error field) says about the error. */
export interface ErrorInfo {
  /** the exception's type (`ValueError`, `java.lang.IllegalStateException`, `panic`), '' when unknown */
  kind: string;
  message: string;
  /** the whole trace as the app printed it */
  stack: string;
}

export class LogEvent {
  constructor(
    /**
     * epoch ms: the app's own time when its line carries a trusted one (README "Structured
     * events"), else when the line was read (or the record's own time, for CRI / docker-json)
     */
    public timestamp: number,
    /**
     * ANSI-free valid UTF-8; grouped lines joined with "\n"; truncated with a marker if over the cap.
     * For a JSON / logfmt line: its message field (the whole line when it has none).
     */
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
    /** epoch ms when the line was read; equals timestamp unless the app's own time was used */
    public observedTimestamp: number = timestamp,
    /** the app's line as written, for a structured line whose message was extracted; text drains send it */
    public line: string | undefined = undefined,
    /** the app's remaining fields as a JSON object text (valid JSON, capped); undefined when none */
    public fieldsJson: string | undefined = undefined,
    /** 32 lowercase hex */
    public traceId: string | undefined = undefined,
    /** 16 lowercase hex */
    public spanId: string | undefined = undefined,
    public error: ErrorInfo | undefined = undefined,
  ) {}

  /** The same event with another message (truncation): every other field is kept. */
  withMessage(message: string): LogEvent {
    return new LogEvent(
      this.timestamp,
      message,
      this.level,
      this.stream,
      this.seq,
      this.kind,
      this.data,
      this.observedTimestamp,
      this.line,
      this.fieldsJson,
      this.traceId,
      this.spanId,
      this.error,
    );
  }
}

/** Identity shared by every event of a process: computed once, never per line (the attributes again only when the pod's labels / annotations change). */
export interface Identity {
  agentId: string;
  workerId: string;
  hostname: string;
  instance: string;
  /**
   * from configuration (FORWARDER_ATTRIBUTES) and the pod's k8s.* identity; never secrets. Replaced
   * (a new object, never edited in place) when the pod's labels / annotations change: see podinfoDir.
   */
  attributes: Record<string, string>;
  /**
   * the downward-API directory whose labels / annotations are followed (FORWARDER_K8S on, in a pod,
   * the directory there at start); the pipeline re-reads it when the kubelet rewrites it
   */
  podinfoDir?: string;
}
