import { Command, Option } from 'commander';
import { exampleYaml } from './config/example-yaml.js';
import type { ConfigInputs, Mode } from './config/index.js';
import { formatConfig } from './config/print.js';
import { scrubSecrets } from './config/secret.js';
import { CORE_SETTINGS, type SettingDef } from './config/settings.js';
import { drainSettings } from './drains/registry.js';
import { runPipe } from './supervisor/pipe.js';
import { runCommand } from './supervisor/run.js';
import { openSession, writeStderr } from './supervisor/session.js';
import { runTail } from './supervisor/tail.js';
import { VERSION } from './version.js';

function addSettingFlags(cmd: Command): Command {
  const name = cmd.name();
  const everywhere = name === 'config' || name === 'check';
  const defs: SettingDef[] = [...CORE_SETTINGS, ...drainSettings()].filter(
    (d) => d.flag && (everywhere || !d.commands || d.commands.includes(name)),
  );
  cmd.option('--config <file>', 'YAML config file (env FORWARDER_CONFIG)');
  const added = new Set<string>();
  for (const def of defs) {
    // tail and pipe share --format (two settings, one flag): config and check list it once
    if (added.has(def.flag!)) continue;
    added.add(def.flag!);
    const env = `(env ${def.env})`;
    if (def.type === 'bool') {
      if (def.default === true) cmd.addOption(new Option(`--no-${def.flag}`, `turn off: ${def.doc} ${env}`));
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

/**
 * The commands and their flags. `self` is the entry file, which the pipeline worker runs too.
 */
export async function main(argv: string[], self: URL): Promise<void> {
  const program = new Command('forwarder')
    .version(VERSION)
    .description("Ships a container app's stdout and stderr to your log services, without changing the app.")
    .enablePositionalOptions()
    .configureOutput({ outputError: (str, write) => write(`forwarder: ${str.replace(/^error: /, '')}`) })
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });

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
  ).action(async (command: string, args: string[], flags: Record<string, unknown>, cmd: Command) => {
    process.exitCode = await runCommand(command, args, inputsFor('run', cmd, command), self, {
      checkFirst: flags.checkFirst === true,
    });
    process.exit();
  });

  addSettingFlags(
    program
      .command('pipe')
      .description('read standard input (app 2>&1 | forwarder pipe), pass it through and ship it')
      .option('--stream <name>', 'the stream name given to the lines read', 'stdout'),
  ).action(async (flags: Record<string, unknown>, cmd: Command) => {
    process.exitCode = await runPipe(String(flags.stream), inputsFor('pipe', cmd), self);
    process.exit();
  });

  addSettingFlags(
    program
      .command('tail')
      .description(
        'follow log files (a sidecar sharing a volume with the app, or /var/log/pods), including files that appear later, and ship every line',
      )
      .usage('[options] <path or glob>...')
      .argument('<paths...>', 'files or globs (quote globs: new matching files are picked up while running)'),
  ).action(async (paths: string[], _flags: Record<string, unknown>, cmd: Command) => {
    process.exitCode = await runTail(paths, inputsFor('tail', cmd), self);
    process.exit();
  });

  addSettingFlags(
    program
      .command('check')
      .description(
        'validate the configuration and send one verification event to every drain; exit 0 only if all accept',
      ),
  ).action(async (_flags: Record<string, unknown>, cmd: Command) => {
    const session = openSession(inputsFor('check', cmd));
    if (session.drains.length === 0 && session.problems.length === 0) {
      writeStderr("forwarder: check: no drain is configured (set FORWARDER_FILE or a drain's variables)");
      process.exit(1);
    }
    const { checkDrains, formatCheckTable } = await import('./supervisor/check.js');
    const rows = await checkDrains(session);
    process.stdout.write(scrubSecrets(formatCheckTable(rows)));
    process.exit(rows.every((r) => r.ok) ? 0 : 1);
  });

  addSettingFlags(
    program
      .command('config')
      .description('print the effective configuration: every value, masked if secret, and where it came from')
      .option('--example', 'print an example YAML file documenting every setting (forwarder.example.yaml)'),
  ).action((flags: Record<string, unknown>, cmd: Command) => {
    if (flags.example === true) {
      process.stdout.write(exampleYaml());
      return;
    }
    const session = openSession(inputsFor('config', cmd));
    process.stdout.write(
      formatConfig(
        session.config,
        session.drains.map((d) => d.spec.id),
        session.problems,
      ),
    );
  });

  await program.parseAsync(argv);
}
