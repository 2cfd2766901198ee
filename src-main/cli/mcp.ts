// pmem-lab mcp: the Model Context Protocol server on stdio (src-main/mcp), with the same guest cap and kernel
// folders as serve; whichever way it ends (stdin closed, a signal, stdout gone), its guests stop first.
import { LabBackend } from '../backend/lab-backend';
import { serveStdio } from '../mcp/stdio';
import { applyBackendLimits } from './serve';
import { stopOnSignals } from './signals';
import type { CommandArgs } from './spec';
import { version } from './version';

export async function mcpCommand(args: CommandArgs): Promise<number> {
  applyBackendLimits(args);
  const v = version();
  const backend = new LabBackend({ mode: 'mcp' }, v);
  // a signal (or a closed stdout) stops the guests too, then exits
  stopOnSignals(() => backend.stopAll());
  await serveStdio(backend, v);
  // a boot the client asked for just before it left may still be starting: leaving now ends it with us (QEMU
  // runs under --pdeathsig), where waiting for the event loop to drain would keep it
  process.exit(0);
}
