// pmem-lab completion SHELL, and the hidden helper its scripts call for names.
import { listProfiles } from '../store/profiles';
import { listScenarios } from '../store/scenarios';
import { presetNames } from '../kernel-build/presets';
import { COMMANDS } from './commands';
import { bashScript, fishScript, zshScript } from './completion-scripts';
import type { CommandArgs } from './spec';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript };

/** pmem-lab completion bash|zsh|fish (the parser has checked the shell against the table). */
export function completionCommand(args: CommandArgs): Promise<number> {
  const visible = COMMANDS.filter((c) => !c.hidden);
  process.stdout.write(SCRIPTS[args.positional as keyof typeof SCRIPTS](visible));
  return Promise.resolve(0);
}

const NAMES = { profiles: listProfiles, scenarios: listScenarios, presets: presetNames };

/** pmem-lab __complete profiles|scenarios|presets: one name a line. */
export async function namesCommand(args: CommandArgs): Promise<number> {
  const names = await NAMES[args.positional as keyof typeof NAMES](); // one of its choices in commands.ts
  for (const n of names) console.log(n);
  return 0;
}
