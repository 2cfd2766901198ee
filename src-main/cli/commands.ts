// Every pmem-lab command in one table (README "The command line"): parsing,
// `--help` and the completion scripts are all generated from it.
import { join } from 'node:path';
import { DEFAULT_KERNEL_RULES, KERNEL_RULE_IDS } from '../../src-shared/model';
import { cacheDir } from '../util/paths';
import type { CommandSpec } from './spec';
import { kernel } from './kernel-spec';
import { checkpoints } from './checkpoints-spec';
import { matrix } from './matrix-spec';
import { report } from './report-spec';
import { mcp } from './mcp-spec';
import { ACCEL, COLD, json, JUNIT, KERNEL, KERNEL_DIR, MAX_GUESTS, MODULES, PORT } from './shared-options';

const PROFILE_HELP = 'a name in qemu-profiles/ (or a profile saved from the app), or a path to a profile file';
const SCENARIO_HELP = 'a name in scenarios/, or a path to a scenario file';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const doctor: CommandSpec = {
  name: 'doctor',
  summary: 'what the host has and lacks, with the fix for each gap',
  description:
    'Checks QEMU, the guest kernel and its modules, busybox, ndctl, daxctl, cxl, depmod, setpriv, ' +
    'the kernel decompressors, the tools pmem-lab kernel build needs and the accelerator. ' +
    'Each check is ok, warn (the lab works, degraded: e.g. TCG because KVM is unusable) ' +
    'or MISS (the lab cannot boot). ' +
    'The first run builds the guest kit (a few seconds) and, when /dev/kvm is usable, test-boots a guest under KVM; ' +
    `the accelerator verdict is then cached in ${join(cacheDir(), 'accel.json')} (--reprobe tests again).`,
  options: [
    json(
      'print { checks: [{ name, status: "ok"|"warn"|"miss", detail, fix? }], verdict: ' +
        '"ready"|"ready-with-warnings"|"not-ready", exitCode }',
    ),
    { name: 'reprobe', type: 'boolean', description: 'forget the cached accelerator verdict and test KVM again' },
  ],
  exitCodes: [
    '0  nothing missing (warnings allowed: the lab works, e.g. on TCG)',
    '1  something missing: the lab cannot boot until the fixes shown are applied',
    '2  usage error',
  ],
  examples: [
    'pmem-lab doctor',
    'pmem-lab doctor --reprobe',
    'pmem-lab doctor --json | jq -r \'.checks[] | select(.status != "ok") | .fix\'',
  ],
  load: async () => (await import('./doctor')).doctorCommand,
};

const shell: CommandSpec = {
  name: 'shell',
  summary: "the guest's serial console in this terminal (Ctrl-] quits)",
  description:
    'Boots the profile and connects this terminal to its console (ttyS0) until Ctrl-], which stops the guest.',
  positional: {
    name: 'PROFILE',
    required: false,
    complete: 'profiles',
    description: `${PROFILE_HELP}; default nvdimm-1g-labels`,
  },
  options: [KERNEL, MODULES, ACCEL, COLD],
  exitCodes: ['0  the guest was stopped with Ctrl-]', '2  the guest crashed, or an error'],
  examples: ['pmem-lab shell', 'pmem-lab shell dimm-hotplug --accel tcg'],
  load: async () => (await import('./shell')).shellCommand,
};

const boot: CommandSpec = {
  name: 'boot',
  summary: 'boot a profile, print its snapshot, shut down',
  positional: { name: 'PROFILE', required: true, complete: 'profiles', description: PROFILE_HELP },
  options: [json('print { profile, kernel, qemu, accel, timings, boot, snapshot }'), KERNEL, MODULES, ACCEL, COLD],
  exitCodes: ['0  booted and read', '2  error (a bad profile, the guest did not boot)'],
  examples: [
    'pmem-lab boot nvdimm-1g-labels',
    'pmem-lab boot dimm-hotplug --json --accel tcg',
    'pmem-lab boot ./my.yaml --kernel ~/linux/arch/x86/boot/bzImage --modules /tmp/mods/lib/modules/6.8.0',
  ],
  load: async () => (await import('./boot')).bootCommand,
};

const run: CommandSpec = {
  name: 'run',
  summary: 'each step on the real guest and on the model, compared on every dimension',
  description:
    "Boots the scenario's profile, runs each step in the guest and in the model, and prints per step the " +
    'fidelity and differences of every dimension: iomem, blocks, exit, output, buses, nodes, log.',
  positional: { name: 'SCENARIO', required: true, complete: 'scenarios', description: SCENARIO_HELP },
  options: [
    json(
      'print { scenario, kernel, qemu, accel, timings, steps: [{ step, output, exitCode, real, model, diff, ' +
        'fidelity: { matched, total, byDimension } }], fidelity }',
    ),
    {
      name: 'jsonl',
      type: 'boolean',
      description: "stream each step's timeline entry as one JSON line as soon as it lands, then { summary }",
    },
    {
      name: 'report',
      type: 'string',
      value: 'FILE.html',
      complete: 'file',
      description: 'also write a self-contained HTML report',
    },
    JUNIT,
    KERNEL,
    MODULES,
    ACCEL,
    COLD,
  ],
  exitCodes: [
    '0  model and guest agree at every step',
    '1  they differ, or a step is outside the action vocabulary (model out of sync)',
    '2  error (a bad scenario or profile, a step that timed out, QEMU gone); when the guest failed, the --junit ' +
      'and --report files still show the steps up to the failure',
  ],
  examples: [
    'pmem-lab run kmem-labels',
    'pmem-lab run kmem-labels --json --accel tcg',
    'pmem-lab run dimm-hotplug --report dimm.html',
    'pmem-lab run kmem-labels --json --junit kmem-labels.xml > kmem-labels.json',
  ],
  load: async () => (await import('./run')).runCommand,
};

const model: CommandSpec = {
  name: 'model',
  summary: 'the model alone: the predicted /proc/iomem after the last step',
  positional: { name: 'SCENARIO', required: true, complete: 'scenarios', description: SCENARIO_HELP },
  options: [
    json("print every step's predicted snapshot, the tools' output and exit code, and the rule behind each outcome"),
    { name: 'explain', type: 'boolean', description: 'put the rule behind each /proc/iomem line beside it' },
    {
      name: 'kernel-rules',
      type: 'string',
      value: 'VERSION',
      choices: KERNEL_RULE_IDS,
      description: `replay the steps under an older kernel's rules (default ${DEFAULT_KERNEL_RULES})`,
    },
  ],
  exitCodes: [
    '0  the model followed every step',
    '1  a step is outside the action vocabulary (the model is out of sync from there)',
    '2  error',
  ],
  examples: [
    'pmem-lab model kmem-labels',
    'pmem-lab model kmem-labels --explain',
    'pmem-lab model kmem-labels --json --kernel-rules 5.3',
  ],
  load: async () => (await import('./model')).modelCommand,
};

const fuzz: CommandSpec = {
  name: 'fuzz',
  summary: 'generated profiles and steps on real guests and the model; each divergence as a minimized scenario',
  description:
    'Differential testing: draws profiles (pc and q35 machines, RAM sizes around the 4 GiB hole, NUMA ' +
    'layouts, NVDIMMs, memmap=, hotplug slots, kernel policy arguments) and step sequences from the action ' +
    'vocabulary, runs each on a real guest and on the model as run does, and prints every divergence by ' +
    'dimension with a scenario file that reproduces it: cut at the diverging step, and minimized (fewer ' +
    'steps, simpler profile) the first time its signature (dimension and kind of step) appears. The same seed' +
    ' draws the same scenarios.',
  options: [
    { name: 'seed', type: 'string', value: 'S', description: 'the seed (default: a random one, printed)' },
    { name: 'count', type: 'string', value: 'N', description: 'how many scenarios (default 10)' },
    { name: 'steps', type: 'string', value: 'N', description: 'at most N steps per scenario (default 6)' },
    {
      name: 'ram-max',
      type: 'string',
      value: 'SIZE',
      description: 'the largest guest RAM drawn (default 8G; up to 256G where the host can hold such guests)',
    },
    {
      name: 'per-profile',
      type: 'string',
      value: 'N',
      description:
        "scenarios drawn on each generated profile (default 4): the later ones restore the first one's checkpoint",
    },
    {
      name: 'minimize-budget',
      type: 'string',
      value: 'N',
      description: 'guest runs spent minimizing each new divergence (default 6; 0: only cut at the step)',
    },
    {
      name: 'out',
      type: 'string',
      value: 'DIR',
      complete: 'dir',
      description: 'where the scenario files go (default fuzz-out/)',
    },
    json(
      'print { seed, scenarios, steps, agreeing, uncompared, agreeRatio, byClass, errors, wall_ms, kernel, qemu, ' +
        'accel, outDir, scenarioRuns, divergences: [{ scenario, n, kind, classes, step, reason, file, minimized }] }',
    ),
    JUNIT,
    KERNEL,
    MODULES,
    ACCEL,
    COLD,
  ],
  exitCodes: [
    '0  model and guest agree at every step of every scenario',
    '1  a divergence, or a guest that failed (each with its scenario file)',
    '2  error (a bad option, the guest kit could not be built)',
  ],
  examples: [
    'pmem-lab fuzz --seed 1 --count 20 --accel tcg',
    'pmem-lab fuzz --count 200 --minimize-budget 10 --out /tmp/fuzz',
    'pmem-lab fuzz --kernel ~/linux/arch/x86/boot/bzImage --modules /tmp/mods/lib/modules/6.8.0 --json',
  ],
  load: async () => (await import('./fuzz')).fuzzCommand,
};

const serve: CommandSpec = {
  name: 'serve',
  summary: 'browser mode: prints http://127.0.0.1:N/?token=T',
  options: [PORT, MAX_GUESTS, KERNEL_DIR],
  exitCodes: ['0  stopped with Ctrl-C', '2  error (e.g. the port is in use)'],
  examples: ['pmem-lab serve', 'pmem-lab serve --port 8080', 'pmem-lab serve --max-guests 2 --kernel-dir ~/src/linux'],
  load: async () => (await import('./serve')).serveCommand,
};

const start: CommandSpec = {
  name: 'start',
  summary: 'what npm start runs: the Electron app, or browser mode',
  options: [PORT, MAX_GUESTS, KERNEL_DIR],
  exitCodes: ['0  the app was closed', '2  error'],
  examples: ['pmem-lab start', 'pmem-lab start --port 8080'],
  load: async () => (await import('./start')).startCommand,
};

const completion: CommandSpec = {
  name: 'completion',
  summary: 'print a completion script for bash, zsh or fish',
  description:
    'Commands, options and their choices are in the script; profile and scenario names are asked of pmem-lab when ' +
    'TAB is pressed, so profiles saved later are offered too.',
  positional: { name: 'SHELL', required: true, choices: SHELLS, description: SHELLS.join(', ') },
  options: [],
  examples: [
    'source <(pmem-lab completion bash)        # in ~/.bashrc',
    'pmem-lab completion zsh > "${fpath[1]}/_pmem-lab"',
    'pmem-lab completion fish > ~/.config/fish/completions/pmem-lab.fish',
  ],
  load: async () => (await import('./completion')).completionCommand,
};

/** The completion scripts' helper: one name a line. */
const complete: CommandSpec = {
  name: '__complete',
  summary: 'profile, scenario or kernel preset names, one a line',
  hidden: true,
  positional: {
    name: 'KIND',
    required: true,
    choices: ['profiles', 'scenarios', 'presets'],
    description: 'profiles, scenarios or presets',
  },
  options: [],
  examples: ['pmem-lab __complete profiles'],
  load: async () => (await import('./completion')).namesCommand,
};

const commands = [
  doctor,
  shell,
  boot,
  run,
  model,
  fuzz,
  matrix,
  report,
  checkpoints,
  kernel,
  serve,
  start,
  mcp,
  completion,
];

const help: CommandSpec = {
  name: 'help',
  summary: 'help for pmem-lab or one command',
  positional: {
    name: 'COMMAND',
    required: false,
    choices: [...commands.map((c) => c.name), 'help'],
    description: 'the command to explain',
  },
  options: [],
  examples: ['pmem-lab help', 'pmem-lab help run'],
  load: async () => (await import('./help')).helpCommand,
};

export const COMMANDS: readonly CommandSpec[] = [...commands, help, complete];

export const findCommand = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);
