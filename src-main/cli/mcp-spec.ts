// pmem-lab mcp's entry in the command table (commands.ts).
import type { CommandSpec } from './spec';
import { KERNEL_DIR, MAX_GUESTS } from './shared-options';

export const mcp: CommandSpec = {
  name: 'mcp',
  summary: 'a Model Context Protocol server on stdin/stdout, for coding agents',
  description:
    "Serves the lab's contract as MCP tools over stdio, for an MCP client to start: profiles (list, show, " +
    'validate), boot with progress, status, stop, a step of the action vocabulary, snapshot, predict with the ' +
    'model, compare, explain a /proc/iomem line or an answer, run a scenario, kernel log of a step, export the ' +
    'HTML report; and the profiles, scenarios and the model rules as resources. The same validation, QMP ' +
    'allow-list and guest cap as the app. stdout carries protocol messages only, logs go to stderr. When the ' +
    'client closes stdin, every guest it booted is stopped.',
  options: [MAX_GUESTS, KERNEL_DIR],
  exitCodes: ['0  the client closed the connection (its guests stopped)', '2  error'],
  examples: ['pmem-lab mcp', 'pmem-lab mcp --max-guests 2'],
  load: async () => (await import('./mcp')).mcpCommand,
};
