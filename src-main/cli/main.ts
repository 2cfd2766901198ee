// The pmem-lab command (design.md "Command line"). Exit codes: 0 success
// (and, for run, model and real agree), 1 model and real differ or doctor
// found gaps, 2 errors.
import { parseArgs, UsageError } from './args';
import { doctor } from './doctor';
import { bootCommand } from './boot';
import { runCommand } from './run';
import { shellCommand } from './shell';
import { modelCommand } from './model';
import { serveCommand } from './serve';
import { startCommand } from './start';

const USAGE = `usage:
  pmem-lab doctor
  pmem-lab shell [PROFILE] [--kernel PATH --modules DIR] [--accel auto|kvm|tcg]
  pmem-lab boot PROFILE [--json] [--kernel PATH --modules DIR] [--accel auto|kvm|tcg]
  pmem-lab run SCENARIO [--json] [--report FILE.html] [--kernel PATH --modules DIR] [--accel auto|kvm|tcg]
  pmem-lab model SCENARIO [--json | --explain] [--kernel-rules 6.1|5.3|5.1|5.0]
  pmem-lab start [--port N]          the Electron app, or browser mode where Electron cannot run
  pmem-lab serve [--port N]          browser mode: prints http://127.0.0.1:N/?token=T
PROFILE is a name in qemu-profiles/ or a path; SCENARIO a name in scenarios/ or a path.`;

const VALUE_OPTIONS = ['kernel', 'modules', 'accel', 'kernel-rules', 'port', 'report'] as const;
const FLAGS = ['json', 'help', 'explain'] as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest, VALUE_OPTIONS, FLAGS);
  if (!command || command === 'help' || command === '--help' || args.flags.has('help')) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'doctor':
      return doctor();
    case 'boot':
      return bootCommand(args);
    case 'run':
      return runCommand(args);
    case 'shell':
      return shellCommand(args);
    case 'model':
      return modelCommand(args);
    case 'serve':
      return serveCommand(args);
    case 'start':
      return startCommand(args);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`pmem-lab: ${e.message}`);
    if (e instanceof UsageError) console.error(USAGE);
    process.exitCode = 2;
  },
);
