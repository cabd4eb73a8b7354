import { Command, Option } from 'commander';
import { exampleYaml } from './config/example-yaml.js';
import type { ConfigInputs, Mode } from './config/index.js';
import { formatConfig } from './config/print.js';
import { scrubSecrets } from './config/secret.js';
import { CORE_SETTINGS, type SettingDef } from './config/settings.js';
import { describeControl } from './drains/core/control-config.js';
import { drainSettings } from './drains/registry.js';
import { describeRedaction, redactionFrom } from './pipeline/redact-config.js';
import { allSettings, drainDescriptions } from './settings-catalogue.js';
import type { EarlyRun } from './supervisor/early-spawn.js';
import { EXIT, ExitWith, signalExit } from './supervisor/exit-codes.js';
import { runPipe } from './supervisor/pipe.js';
import { runCommand } from './supervisor/run.js';
import { openSession, writeStderr } from './supervisor/session.js';
import { STOP_SIGNALS, signalInbox } from './supervisor/signals.js';
import { runTail } from './supervisor/tail.js';
import { VERSION } from './version.js';

/**
 * The core settings that change what `check` does: identity (carried by the verification event),
 * strictness and our own messages. The others only act while shipping, so `check` does not offer
 * their flags. `config` offers every flag: it prints what they would make the configuration.
 */
const CHECK_CORE = new Set([
  'agent_id',
  'worker_id',
  'hostname',
  'attributes',
  'strict',
  'log_level',
  'log_format',
]);

function offersFlag(def: SettingDef, command: string, core: boolean): boolean {
  if (!def.flag) return false;
  if (command === 'config') return true;
  if (command === 'check') return !core || CHECK_CORE.has(def.key);
  return !def.commands || def.commands.includes(command);
}

function addSettingFlags(cmd: Command): Command {
  const name = cmd.name();
  const defs: SettingDef[] = [
    ...CORE_SETTINGS.filter((d) => offersFlag(d, name, true)),
    ...drainSettings().filter((d) => offersFlag(d, name, false)),
  ];
  cmd.option('--config <file>', 'YAML config file (env FORWARDER_CONFIG)');
  const added = new Set<string>();
  for (const def of defs) {
    // tail and pipe share --format (two settings, one flag): config and check list it once
    if (added.has(def.flag!)) continue;
    added.add(def.flag!);
    const env = `(env ${def.env})`;
    if (def.type === 'bool') {
      const doc = def.doc.replace(/\s*\(--no-[\w-]+ turns it off\)/, '').replace(/\.$/, '');
      if (def.default === true)
        cmd.addOption(
          new Option(`--no-${def.flag}`, `${doc}: on by default; this flag turns it off. ${env}`),
        );
      else cmd.addOption(new Option(`--${def.flag}`, `${def.doc} ${env}`));
    } else {
      cmd.addOption(new Option(`--${def.flag} <value>`, `${def.doc} ${env}`));
    }
  }
  return cmd;
}

/**
 * Only the flags given on the command line: commander fills in defaults (true for every
 * `--no-x`), which would otherwise outrank the environment and the YAML file.
 */
function givenFlags(cmd: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cmd.opts()))
    if (cmd.getOptionValueSource(key) === 'cli') out[key] = value;
  return out;
}

function inputsFor(mode: Mode, cmd: Command, command?: string): ConfigInputs {
  return {
    mode,
    flags: givenFlags(cmd) as ConfigInputs['flags'],
    env: { ...process.env },
    configPath: undefined,
    ...(command ? { command } : {}),
  };
}

/** Ends the process: the one place that does. */
function exitWith(code: number): never {
  process.exitCode = code;
  process.exit();
}

/**
 * What the app wrote last may still be queued for a slow reader of our stdout or stderr: exit only
 * once it is taken (as the app, without us, would have waited in write), or at a stop signal.
 */
async function stdioWritten(): Promise<void> {
  const pending = [process.stdout, process.stderr].filter((s) => s.writableLength > 0 && !s.destroyed);
  if (pending.length === 0) return;
  await new Promise<void>((resolve) => {
    signalInbox.listen((signal) => {
      if (STOP_SIGNALS.has(signal)) resolve();
    });
    void Promise.all(
      pending.map(
        (s) =>
          new Promise<void>((done) => {
            s.once('drain', done);
            s.once('error', done);
            s.once('close', done);
          }),
      ),
    ).then(() => resolve());
  });
}

/** check and config ship nothing: a stop signal ends them at once, 128+N (signals are caught from the start). */
function stopOnSignal(): void {
  signalInbox.listen((signal) => {
    if (STOP_SIGNALS.has(signal)) exitWith(signalExit(signal));
  });
}

/** Runs a command's body and exits with its code; ExitWith carries a code whose line was written. */
async function finishWith(body: () => Promise<number> | number): Promise<never> {
  let code: number;
  try {
    code = await body();
  } catch (err) {
    if (err instanceof ExitWith) code = err.code;
    else {
      writeStderr(`forwarder: internal error: ${err instanceof Error ? err.message : String(err)}`);
      code = EXIT.internal;
    }
  }
  await stdioWritten();
  return exitWith(code);
}

/**
 * The commands and their flags.
 */
export async function main(argv: string[], early?: EarlyRun): Promise<void> {
  const program = new Command('forwarder')
    .version(VERSION)
    .description("Ships a container app's stdout and stderr to your log services, without changing the app.")
    .enablePositionalOptions()
    .configureOutput({ outputError: (str, write) => write(`forwarder: ${str.replace(/^error: /, '')}`) })
    .exitOverride((err) => exitWith(err.exitCode === 0 ? EXIT.ok : EXIT.usage));

  addSettingFlags(
    program
      .command('run')
      .description('run a command, pass its output through untouched, and ship every line')
      .usage('[options] -- <command> [args...]')
      .argument('<command>', 'the program to run (no shell)')
      .argument('[args...]', "the program's arguments")
      .option(
        '--check-first',
        'run `forwarder check` before starting the app (and stop on failure under FORWARDER_STRICT)',
      )
      .passThroughOptions(),
  ).action((command: string, args: string[], flags: Record<string, unknown>, cmd: Command) =>
    finishWith(() =>
      runCommand(command, args, inputsFor('run', cmd, command), {
        checkFirst: flags.checkFirst === true,
        // Spawned by cli.ts before we were loaded (spawn first), from this same command line.
        ...(early ? { early } : {}),
      }),
    ),
  );

  addSettingFlags(
    program
      .command('pipe')
      .description('read standard input (app 2>&1 | forwarder pipe), pass it through and ship it')
      .option('--stream <name>', 'the stream name given to the lines read', 'stdout'),
  ).action((flags: Record<string, unknown>, cmd: Command) =>
    finishWith(() => runPipe(String(flags.stream), inputsFor('pipe', cmd))),
  );

  addSettingFlags(
    program
      .command('tail')
      .description(
        'follow log files (a sidecar sharing a volume with the app, or /var/log/pods), including files that appear later, and ship every line',
      )
      .usage('[options] <path or glob>...')
      .argument('<paths...>', 'files or globs (quote globs: new matching files are picked up while running)'),
  ).action((paths: string[], _flags: Record<string, unknown>, cmd: Command) =>
    finishWith(() => runTail(paths, inputsFor('tail', cmd))),
  );

  addSettingFlags(
    program
      .command('check')
      .description(
        'validate the configuration and send one verification event to every drain; exit 0 only if all accept',
      ),
  ).action((_flags: Record<string, unknown>, cmd: Command) =>
    finishWith(async () => {
      stopOnSignal();
      const session = openSession(inputsFor('check', cmd));
      if (session.drains.length === 0 && session.problems.length === 0) {
        writeStderr("forwarder: check: no drain is configured (set FORWARDER_FILE or a drain's variables)");
        return EXIT.checkFailed;
      }
      const { checkDrains, formatCheckTable } = await import('./supervisor/check.js');
      const rows = await checkDrains(session);
      process.stdout.write(scrubSecrets(formatCheckTable(rows)));
      return rows.every((r) => r.ok) ? EXIT.ok : EXIT.checkFailed;
    }),
  );

  addSettingFlags(
    program
      .command('config')
      .description('print the effective configuration: every value, masked if secret, and where it came from')
      .option('--example', 'print an example YAML file documenting every setting (forwarder.example.yaml)'),
  ).action((flags: Record<string, unknown>, cmd: Command) =>
    finishWith(() => {
      stopOnSignal();
      if (flags.example === true) {
        process.stdout.write(exampleYaml(allSettings(), drainDescriptions()));
        return EXIT.ok;
      }
      const session = openSession(inputsFor('config', cmd));
      process.stdout.write(
        formatConfig(
          session.config,
          session.drains.map((d) => d.spec.id),
          session.problems,
          {
            drains: session.drains.map((d) => ({ id: d.spec.id, text: describeControl(d.control) })),
            redaction: describeRedaction(redactionFrom(session.config)),
          },
        ),
      );
      return EXIT.ok;
    }),
  );

  try {
    await program.parseAsync(argv);
  } catch (err) {
    writeStderr(`forwarder: internal error: ${err instanceof Error ? err.message : String(err)}`);
    exitWith(EXIT.internal);
  }
}
