// pmem-lab serve [--port N]: browser mode. Prints the URL with its token;
// Ctrl-C stops every VM the server started, then the server.
import { guestCap } from '../backend/guest-cap';
import { createBackend } from '../backend/lab-backend';
import { ensureRendererBuilt } from '../server/renderer-build';
import { serveLab } from '../server/server';
import { UsageError, type CommandArgs } from './spec';

/**
 * --max-guests and --kernel-dir, checked now and handed on through the
 * environment, where the backend reads them in this process and in Electron's.
 */
export function applyBackendLimits(args: CommandArgs): void {
  const max = args.options.get('max-guests');
  if (max !== undefined) {
    try {
      guestCap(max, '--max-guests');
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    process.env.PMEM_LAB_MAX_GUESTS = max;
  }
  const dirs = args.options.get('kernel-dir');
  if (dirs !== undefined)
    process.env.PMEM_LAB_KERNEL_DIRS = [process.env.PMEM_LAB_KERNEL_DIRS, dirs].filter(Boolean).join(':');
}

export async function serveCommand(args: CommandArgs, intro?: string): Promise<number> {
  applyBackendLimits(args);
  const portArg = args.options.get('port');
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: "${portArg}" is not a TCP port (0-65535; 0 picks a free one)`);
  const staticDir = await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  const backend = createBackend({ mode: 'browser' });
  const server = await serveLab({ backend, staticDir, port }).catch((e: NodeJS.ErrnoException) => {
    throw new Error(
      e.code === 'EADDRINUSE' ? `--port ${port}: the port is in use; pick another or leave --port out` : e.message,
    );
  });
  if (intro) console.log(intro);
  console.log(`PMEM Lab (browser mode) at ${server.url}`);
  console.log('Listening on 127.0.0.1 only. Ctrl-C stops the lab and its guests.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await backend.stopAll();
  await server.close();
  return 0;
}
