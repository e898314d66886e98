/** The `fitcheck` command line: `lint`, `rules`, `explain`, `train`, `watch` and `run`. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { Linter } from '../analyzers/linter.js';
import { bundledWasmDir } from '../analyzers/python/wasm-dir.js';
import { VERSION } from '../analyzers/version.js';
import { isWholeFor, WHOLE_SETTINGS, type WholeSetting } from '../analyzers/settings-table.js';
import { runLint, type Output } from './lint-command.js';
import { tuneTieringForBatch } from './batch-tiering.js';
import { defaultDocsDir, explain } from './explain-command.js';
import { formatRules } from './rules-command.js';
import { runTrain, type TrainOptions } from './train-command.js';
import { runWatch, type WatchOptions } from './watch-command.js';
import { runMonitored, type RunOptions } from './run-command.js';
import { checkMapping, ROLES, type TagMapping } from '../metrics/watch/tag-roles.js';
import { BACKEND_CHOICES, type BackendChoice } from '../trainer/backend.js';

const USAGE_ERROR = 2;

function codeList(value: string, previous: string[] = []): string[] {
  const codes = value.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  for (const code of codes) {
    if (!/^FC\d{0,3}$/.test(code)) throw new InvalidArgumentError(`"${code}" is not a rule code (like FC101, or a prefix like FC3)`);
  }
  return [...previous, ...codes];
}

/** `--threads`: a whole number of worker threads, at least 1. */
function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a number of threads (a whole number, 1 or more)`);
  return n;
}

/** The parser of a whole-number flag, with the setting's least sensible value. */
function wholeFor(setting: WholeSetting): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!isWholeFor(setting, n)) throw new InvalidArgumentError(`expected a whole number of ${setting.unit}, at least ${setting.min}`);
    return n;
  };
}

const WHOLE_FLAG_HELP: Record<WholeSetting['field'], string> = {
  saturatingDepth: 'sigmoid/tanh layers in a row that count as a saturating stack',
  deepNetDepth: 'layers from which a network counts as deep',
  maxFileSize: 'skip files larger than this',
};

function epsilonValue(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

function tagMap(value: string, previous: TagMapping = {}): TagMapping {
  const at = value.lastIndexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected TAG=ROLE, e.g. "Loss/val=valLoss"`);
  const { mapping, problems } = checkMapping({ [value.slice(0, at)]: value.slice(at + 1) });
  if (problems.length > 0) throw new InvalidArgumentError(problems[0]!);
  return { ...previous, ...mapping };
}

/** Builds the program; `out` and `exit` are injectable so tests can run it in-process. */
export function buildProgram(out: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('fitcheck')
    .description('Lint deep-learning training code (PyTorch, Keras) and train and diagnose *.fitrun.json experiments.')
    .version(VERSION)
    .configureOutput({ writeOut: (s) => out.stdout(s), writeErr: (s) => out.stderr(s) })
    .exitOverride()
    // `fitcheck run python train.py --lr 0.1`: options after the command are the command's.
    .enablePositionalOptions();

  const lint = program.command('lint')
    .description('lint Python files and folders; exit 1 when an error-level finding exists')
    .argument('<paths...>', 'files or folders (folders are searched for .py files)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--select <codes>', 'only these rule codes or prefixes, comma-separated', codeList)
    .option('--ignore <codes>', 'skip these rule codes or prefixes, comma-separated', codeList)
    .option('--fix', 'apply the fixes that leave training unchanged and write the files back; list the others')
    .option('--threads <n>', 'worker threads for folders of many files (default: every core, 1 when the load average is already at the core count; FITCHECK_LINT_THREADS sets it; 1: no workers)', threadCount)
    .option('--no-color', 'plain text output');
  for (const setting of WHOLE_SETTINGS) lint.option(`${setting.cli} <${setting.unit}>`, WHOLE_FLAG_HELP[setting.field], wholeFor(setting));
  lint.action(async (paths: string[], opts: { format: 'text' | 'json' | 'sarif'; select?: string[]; ignore?: string[]; color: boolean; fix?: boolean; threads?: number } & Partial<Record<WholeSetting['field'], number>>) => {
      tuneTieringForBatch();
      const linter = await Linter.create({ wasmDir: bundledWasmDir(import.meta.url) });
      const color = opts.color && opts.format === 'text' && !!process.stdout.isTTY && !process.env.NO_COLOR;
      const options = { format: opts.format, select: opts.select ?? [], ignore: opts.ignore ?? [], color, fix: opts.fix === true } as Parameters<typeof runLint>[2];
      if (opts.maxFileSize !== undefined) options.maxFileSize = opts.maxFileSize;
      if (opts.threads !== undefined) options.threads = opts.threads;
      // The bar goes to stderr, and only to a terminal: piped output and CI logs stay clean.
      options.progress = !!process.stderr.isTTY;
      const ruleOptions = { ...(opts.saturatingDepth !== undefined ? { saturatingDepth: opts.saturatingDepth } : {}), ...(opts.deepNetDepth !== undefined ? { deepNetDepth: opts.deepNetDepth } : {}) };
      if (Object.keys(ruleOptions).length > 0) options.ruleOptions = ruleOptions;
      setExitCode(await runLint(linter, paths, options, out));
    });

  program.command('rules')
    .description('list the rule catalog')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: 'text' | 'json' }) => {
      out.stdout(formatRules(opts.format));
      setExitCode(0);
    });

  program.command('train')
    .description('train a *.fitrun.json experiment and diagnose it; exit 1 when the run fails, 2 on a bad spec, 130 when stopped')
    .argument('<spec>', 'the run spec (*.fitrun.json)')
    .option('--json', 'print the metric events as NDJSON (docs/metrics-format.md)', false)
    .addOption(new Option('--backend <backend>', 'TensorFlow.js backend').choices([...BACKEND_CHOICES]).default('auto'))
    .option('--runs-dir <dir>', 'where runs are stored (default: .fitcheck/runs)')
    .option('--allow-data-dir <dir>', 'also read CSV data from this folder (besides the current directory and the spec\'s folder); repeatable', (dir: string, dirs: string[] = []) => [...dirs, dir])
    .option('--no-color', 'plain text output')
    .action(async (spec: string, opts: { json: boolean; backend: BackendChoice; runsDir?: string; allowDataDir?: string[]; color: boolean }) => {
      const tty = !opts.json && !!process.stdout.isTTY;
      let onSigint: (() => void) | undefined;
      const options: TrainOptions = {
        json: opts.json, backend: opts.backend, color: opts.color && tty && !process.env.NO_COLOR, tty,
        onStart: (run) => {
          // First Ctrl-C: a clean stop (status "stopped"); a second one kills the trainer.
          let stopping = false;
          onSigint = () => { if (stopping) run.kill(); stopping = true; run.stop(); };
          process.on('SIGINT', onSigint);
        },
      };
      if (opts.runsDir) options.runsDir = opts.runsDir;
      if (opts.allowDataDir) options.allowDataDirs = opts.allowDataDir;
      if (process.stdout.columns) options.columns = process.stdout.columns;
      try {
        setExitCode(await runTrain(spec, options, out));
      } finally {
        if (onSigint) process.off('SIGINT', onSigint);
      }
    });

  program.command('watch')
    .description("follow your own runs (TensorBoard event files, the Python helper's *.fitcheck.jsonl, CSV/TSV metrics): epochs, regime and alerts as they arrive; exit 2 when the path does not exist (or, with --once, holds no run)")
    .argument('<path>', 'a log folder (searched for runs) or one file')
    .option('--once', 'print the diagnosis of what is there now and exit', false)
    .option('--json', 'print NDJSON: with --once one `end` event per run (as the trainer writes it, plus runId and name); live, each new event with a "run" field, and {"type":"reset","run":…} before a run\'s events are sent again in full', false)
    .option('--epsilon <number>', 'the target error ε (default: what the Python helper recorded, else 0.1)', epsilonValue)
    .option('--map <tag=role>', `read a tag as a role (${[...ROLES, 'ignore'].join(', ')}); repeatable; * matches any text`, tagMap)
    .option('--all', 'list every insight (default: the most important few, one per kind)', false)
    .option('--no-color', 'plain text output')
    .action(async (target: string, opts: { once: boolean; json: boolean; all: boolean; epsilon?: number; map?: TagMapping; color: boolean }) => {
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      const options: WatchOptions = { once: opts.once, json: opts.json, color: opts.color && !opts.json && !!process.stdout.isTTY && !process.env.NO_COLOR, signal: controller.signal };
      if (opts.epsilon !== undefined) options.epsilon = opts.epsilon;
      if (opts.all) options.all = true;
      if (opts.map) options.mapping = opts.map;
      if (!opts.once) process.on('SIGINT', onSigint);
      try {
        setExitCode(await runWatch(target, options, out));
      } finally {
        process.off('SIGINT', onSigint);
      }
    });

  program.command('run')
    .description("run your own training script unchanged with Fitcheck's monitor (PyTorch loss, learning rate, per-layer gradient norms, dead/saturated units; Keras fit; SummaryWriter and wandb scalars), print the diagnosis live and the file:line of each layer with runtime evidence; exit with the command's own code")
    .argument('<command...>', 'the command, e.g. `-- python train.py --epochs 5`')
    .option('--json', 'print NDJSON events (as `fitcheck watch --json`) and one {"type":"evidence"} line per finding', false)
    .option('--every <n>', 'sample gradients and units every n backward passes (default 10)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
      return n;
    })
    .option('--no-color', 'plain text output')
    .passThroughOptions()
    .action(async (command: string[], opts: { json: boolean; every?: number; color: boolean }) => {
      let onSigint: (() => void) | undefined;
      let onSigterm: (() => void) | undefined;
      const options: RunOptions = {
        json: opts.json, color: opts.color && !opts.json && !!process.stdout.isTTY && !process.env.NO_COLOR, wasmDir: bundledWasmDir(import.meta.url),
        onStart: (control) => {
          // First Ctrl-C: SIGINT to the script (KeyboardInterrupt, its own cleanup); a second one kills it.
          let stopping = false;
          onSigint = () => { if (stopping) control.kill(); stopping = true; control.stop(); };
          onSigterm = () => control.kill();
          process.on('SIGINT', onSigint);
          process.on('SIGTERM', onSigterm);
        },
      };
      if (opts.every !== undefined) options.every = opts.every;
      try {
        setExitCode(await runMonitored(command, options, out));
      } finally {
        if (onSigint) process.off('SIGINT', onSigint);
        if (onSigterm) process.off('SIGTERM', onSigterm);
      }
    });

  program.command('explain')
    .description("print a rule's documentation page")
    .argument('<code-or-name>', 'a rule code (FC301) or name (missing-zero-grad)')
    .action((codeOrName: string) => {
      setExitCode(explain(codeOrName, defaultDocsDir(import.meta.url), out));
    });

  return program;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], out: Output): Promise<number> {
  let code = 0;
  const program = buildProgram(out, (c) => { code = c; });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage mistake exits 2.
      return error.exitCode === 0 ? 0 : USAGE_ERROR;
    }
    out.stderr(`fitcheck: internal error: ${error instanceof Error ? error.message : String(error)} (please report this)\n`);
    return USAGE_ERROR;
  }
}
