// The pmem-lab command (README "The command line"). Each command's exit codes
// are in its help (commands.ts); a usage mistake or any error exits 2.
import { commandHelp, usage } from './help';
import { parseCommandLine } from './parse';
import { leaveQuietlyOnClosedPipe } from './signals';
import { UsageError } from './spec';
import { version } from './version';

async function main(argv: string[]): Promise<number> {
  const what = parseCommandLine(argv);
  switch (what.kind) {
    case 'usage':
      (what.status ? console.error : console.log)(usage());
      return what.status;
    case 'version':
      console.log(version());
      return 0;
    case 'help':
      console.log(commandHelp(what.command));
      return 0;
    case 'run': {
      const handler = await what.command.load();
      return handler(what.args).catch((e: unknown) => {
        throw e instanceof UsageError && !e.command ? new UsageError(e.message, what.command.name) : e;
      });
    }
  }
}

leaveQuietlyOnClosedPipe(process.stdout);
leaveQuietlyOnClosedPipe(process.stderr);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`pmem-lab: ${e.message}`);
    if (e instanceof UsageError)
      console.error(e.command ? `see "pmem-lab ${e.command} --help"` : 'see "pmem-lab --help"');
    process.exitCode = 2;
  },
);
