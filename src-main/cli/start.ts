// pmem-lab start (what `npm start` runs): the Electron app where Electron can
// run, otherwise browser mode, saying why and printing the URL.
import { join } from 'node:path';
import { electronBinary, launchElectron, realElectronDeps } from '../electron/launch';
import { ensureRendererBuilt } from '../server/renderer-build';
import { appRoot } from '../util/app-root';
import type { CommandArgs } from './spec';
import { applyBackendLimits, serveCommand } from './serve';

export async function startCommand(args: CommandArgs): Promise<number> {
  const verdict = await electronBinary(realElectronDeps);
  if ('unavailable' in verdict)
    return serveCommand(
      args,
      `Electron cannot run here: ${verdict.unavailable}.\nFalling back to browser mode: open the URL below in a ` +
        `browser on this machine.`,
    );
  applyBackendLimits(args);
  await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  const { buildElectron } = await import('../electron/bundle');
  await buildElectron();
  return launchElectron(verdict.path, join(appRoot(), 'dist/electron/main.cjs'));
}
