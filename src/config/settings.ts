/**
 * Every setting is one row of data: its YAML key, env variable, flag, type, default and help.
 * The loader, `forwarder config`, the README tables and forwarder.example.yaml's completeness
 * test all read these rows, so a setting cannot exist in one place and be missing in another.
 */
export type SettingType =
  | 'string'
  | 'int'
  | 'bytes'
  | 'duration'
  | 'bool'
  | 'enum'
  | 'url'
  | 'map'
  | 'level'
  /** JSON text in env; a YAML mapping or list in the file (kept as its JSON text) */
  | 'json';

export interface SettingDef {
  /** YAML path: `agent_id` (top level) or `webhook.url` (a drain's section) */
  key: string;
  /** the environment variable; secrets also accept `${env}_FILE` */
  env: string;
  /** other variable names accepted, lower precedence than `env` (e.g. Datadog's own DD_API_KEY) */
  aliases?: readonly string[];
  /** long flag without dashes (`agent-id`); only core settings have flags */
  flag?: string;
  type: SettingType;
  values?: readonly string[];
  default?: string | number | boolean;
  /** shown as the default in docs when it is computed at run time */
  defaultDoc?: string;
  secret?: boolean;
  /** a map of HTTP request headers: names and values are checked as HTTP allows when the config is read */
  httpHeaders?: boolean;
  /** the commands whose flag this is (besides config and check); every command when absent */
  commands?: readonly string[];
  min?: number;
  max?: number;
  doc: string;
}

export const CORE_SETTINGS: readonly SettingDef[] = [
  {
    key: 'agent_id',
    env: 'FORWARDER_AGENT_ID',
    flag: 'agent-id',
    type: 'string',
    defaultDoc: "the command's basename (run), `pipe` (pipe), CONTAINER_NAME or `tail` (tail)",
    doc: 'Which app this is: sent as agent_id on every event.',
  },
  {
    key: 'worker_id',
    env: 'FORWARDER_WORKER_ID',
    flag: 'worker-id',
    type: 'string',
    defaultDoc: '$HOSTNAME (POD_NAME under tail), then the OS host name',
    doc: 'Which instance of the app this is: sent as worker_id.',
  },
  {
    key: 'hostname',
    env: 'FORWARDER_HOSTNAME',
    flag: 'hostname',
    type: 'string',
    defaultDoc: 'the OS host name (NODE_NAME under tail)',
    doc: 'The host the app runs on: sent as hostname.',
  },
  {
    key: 'attributes',
    env: 'FORWARDER_ATTRIBUTES',
    flag: 'attributes',
    type: 'map',
    doc: 'Extra key=value pairs (comma-separated) added to every event under attributes.',
  },
  {
    key: 'max_line_bytes',
    env: 'FORWARDER_MAX_LINE_BYTES',
    flag: 'max-line-bytes',
    type: 'bytes',
    default: 256 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
    doc: 'Lines longer than this are cut, with a visible "…[truncated N bytes]" marker.',
  },
  {
    key: 'flush_timeout',
    env: 'FORWARDER_FLUSH_TIMEOUT',
    flag: 'flush-timeout',
    type: 'duration',
    default: 10_000,
    min: 0,
    doc: 'At exit, how long the final flush may take before what is left is dropped and counted. Under when_full=block it bounds only a drain that makes no progress: at exit, and while input waits for it.',
  },
  {
    key: 'pipe_grace',
    env: 'FORWARDER_PIPE_GRACE',
    flag: 'pipe-grace',
    type: 'duration',
    default: 2000,
    min: 0,
    commands: ['run'],
    doc: 'run: after the app exits, how long its stdout and stderr are still read while a process it started holds them open; then they are closed, and the summary says so.',
  },
  {
    key: 'stdout_level',
    env: 'FORWARDER_STDOUT_LEVEL',
    type: 'level',
    default: 'info',
    doc: 'Level of a stdout line that carries no level of its own.',
  },
  {
    key: 'stderr_level',
    env: 'FORWARDER_STDERR_LEVEL',
    type: 'level',
    default: 'info',
    doc: 'Level of a stderr line that carries no level of its own.',
  },
  {
    key: 'multiline',
    env: 'FORWARDER_MULTILINE',
    flag: 'multiline',
    type: 'bool',
    default: true,
    doc: 'Group stack traces and other multi-line records into one event (--no-multiline turns it off).',
  },
  {
    key: 'multiline_timeout',
    env: 'FORWARDER_MULTILINE_TIMEOUT',
    flag: 'multiline-timeout',
    type: 'duration',
    default: 1000,
    min: 1,
    doc: 'A multi-line group is closed this long after its last line.',
  },
  {
    key: 'multiline_max_bytes',
    env: 'FORWARDER_MULTILINE_MAX_BYTES',
    type: 'bytes',
    default: 1024 * 1024,
    min: 1024,
    doc: 'A multi-line group is closed (and counted) when it reaches this size.',
  },
  {
    key: 'multiline_max_lines',
    env: 'FORWARDER_MULTILINE_MAX_LINES',
    type: 'int',
    default: 1000,
    min: 2,
    doc: 'A multi-line group is closed (and counted) when it reaches this many lines.',
  },
  {
    key: 'k8s',
    env: 'FORWARDER_K8S',
    type: 'bool',
    default: true,
    doc: 'Add the pod identity (POD_NAME, POD_NAMESPACE, NODE_NAME, CONTAINER_NAME, POD_UID and the downward-API labels / annotations files) to attributes as k8s.* (OpenTelemetry names).',
  },
  {
    key: 'k8s_podinfo_dir',
    env: 'FORWARDER_K8S_PODINFO_DIR',
    type: 'string',
    default: '/etc/podinfo',
    doc: "Where a downward-API volume puts the pod's `labels` and `annotations` files; they are followed: when the kubelet rewrites them, every drain sends the new ones.",
  },
  {
    key: 'k8s_podinfo_poll',
    env: 'FORWARDER_K8S_PODINFO_POLL',
    type: 'duration',
    default: 10_000,
    min: 100,
    doc: 'How often the downward-API directory is looked at for new labels / annotations (one readlink of its `..data`).',
  },
  {
    key: 'structured',
    env: 'FORWARDER_STRUCTURED',
    flag: 'structured',
    type: 'bool',
    default: true,
    doc: 'Read JSON and logfmt lines for their message, fields, time, trace ids and error (README "Structured events"); --no-structured ships every line as text.',
  },
  {
    key: 'structured_max_bytes',
    env: 'FORWARDER_STRUCTURED_MAX_BYTES',
    type: 'bytes',
    default: 64 * 1024,
    min: 1024,
    max: 1024 * 1024,
    doc: 'Longer JSON / logfmt lines are shipped as text, not parsed (and counted).',
  },
  {
    key: 'buffer_bytes',
    env: 'FORWARDER_BUFFER_BYTES',
    flag: 'buffer-bytes',
    type: 'bytes',
    default: 16 * 1024 * 1024,
    min: 64 * 1024,
    doc: "Each drain's queue bound; when full the oldest events are dropped and counted (buffer_full).",
  },
  {
    key: 'pipeline_buffer_bytes',
    env: 'FORWARDER_PIPELINE_BUFFER_BYTES',
    type: 'bytes',
    default: 8 * 1024 * 1024,
    min: 1024 * 1024,
    doc: 'Input read and not yet processed; above it run never holds the app back: the excess is dropped and counted (pipeline_backlog); pipe and tail under block stop reading instead.',
  },
  {
    key: 'when_full',
    env: 'FORWARDER_WHEN_FULL',
    flag: 'when-full',
    type: 'enum',
    values: ['drop', 'block'],
    defaultDoc: '`drop` under run, `block` under pipe and tail',
    commands: ['pipe', 'tail'],
    doc: 'When the buffers are full: `drop` the oldest (counted) or `block`: read input only as fast as the drains accept it. run always drops: the app is never held back.',
  },
  {
    key: 'pipeline_niceness',
    env: 'FORWARDER_PIPELINE_NICENESS',
    type: 'int',
    default: 19,
    min: 0,
    max: 19,
    doc: 'No longer has an effect (accepted so that existing configurations keep working): the pipeline runs on the main thread in short turns that give way to the pass-through, instead of a thread of its own at a lower priority.',
  },
  {
    key: 'batch_wait',
    env: 'FORWARDER_BATCH_WAIT',
    flag: 'batch-wait',
    type: 'duration',
    default: 1000,
    min: 1,
    max: 60_000,
    doc: 'A batch is sent when it is full or this old, whichever comes first.',
  },
  {
    key: 'request_timeout',
    env: 'FORWARDER_REQUEST_TIMEOUT',
    type: 'duration',
    default: 30_000,
    min: 100,
    doc: 'One delivery attempt is abandoned (and retried) after this long without an answer.',
  },
  {
    key: 'metrics_addr',
    env: 'FORWARDER_METRICS_ADDR',
    flag: 'metrics-addr',
    type: 'string',
    doc: 'Serve /metrics (Prometheus), /healthz and /readyz here: host:port, or a port alone for 127.0.0.1:port. Off by default.',
  },
  {
    key: 'unhealthy_after',
    env: 'FORWARDER_UNHEALTHY_AFTER',
    type: 'duration',
    default: 300_000,
    min: 1000,
    doc: '/readyz fails when a drain has had events queued and delivered nothing for this long.',
  },
  {
    key: 'signal_group',
    env: 'FORWARDER_SIGNAL_GROUP',
    flag: 'signal-group',
    type: 'bool',
    default: false,
    commands: ['run'],
    doc: "run: forward signals to the child's whole process group (the child gets its own session).",
  },
  {
    key: 'strict',
    env: 'FORWARDER_STRICT',
    flag: 'strict',
    type: 'bool',
    default: false,
    doc: 'A misconfigured drain is fatal (exit 78) instead of being disabled with an error.',
  },
  {
    key: 'log_level',
    env: 'FORWARDER_LOG_LEVEL',
    flag: 'log-level',
    type: 'enum',
    values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    default: 'info',
    doc: "Level of the forwarder's own messages on stderr.",
  },
  {
    key: 'log_format',
    env: 'FORWARDER_LOG_FORMAT',
    flag: 'log-format',
    type: 'enum',
    values: ['text', 'json'],
    default: 'text',
    doc: "The forwarder's own messages: one `forwarder: …` text line each, or pino JSON.",
  },
  {
    key: 'tail_format',
    env: 'FORWARDER_TAIL_FORMAT',
    flag: 'format',
    commands: ['tail'],
    type: 'enum',
    values: ['auto', 'plain', 'cri', 'docker', 'docker-json'],
    default: 'auto',
    doc: 'tail: how the files are written: plain lines, CRI (/var/log/pods), docker json-file (docker and docker-json are the same), or auto (decided line by line: each CRI or docker json-file record is unwrapped, other lines are plain).',
  },
  {
    key: 'pipe_format',
    env: 'FORWARDER_PIPE_FORMAT',
    flag: 'format',
    commands: ['pipe'],
    type: 'enum',
    values: ['auto', 'plain', 'cri', 'docker', 'docker-json'],
    default: 'auto',
    doc: 'pipe: how standard input is written: plain lines, CRI (cat /var/log/pods/…/0.log), docker json-file (docker and docker-json are the same), or auto (decided line by line: each CRI or docker json-file record is unwrapped, other lines are plain).',
  },
  {
    key: 'tail_from_beginning',
    env: 'FORWARDER_TAIL_FROM_BEGINNING',
    flag: 'from-beginning',
    commands: ['tail'],
    type: 'bool',
    default: false,
    doc: 'tail: read the files that exist at the first start from their beginning (otherwise from their end). Files that appear later are always read whole.',
  },
  {
    key: 'tail_poll_interval',
    env: 'FORWARDER_TAIL_POLL_INTERVAL',
    flag: 'poll-interval',
    commands: ['tail'],
    type: 'duration',
    default: 500,
    min: 10,
    max: 60_000,
    doc: 'tail: how often the patterns are matched again and the files checked (fs.watch usually reacts sooner).',
  },
  {
    key: 'state_dir',
    env: 'FORWARDER_STATE_DIR',
    flag: 'state-dir',
    commands: ['tail'],
    type: 'string',
    doc: 'tail: keep the read offsets here (checkpoints, saved every second and at exit) so a restart resumes where it stopped. Without it a restart starts at the end of each file.',
  },
];
