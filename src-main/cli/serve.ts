// pmem-lab serve [--port N]: browser mode. Prints the URL with its token;
// Ctrl-C stops every VM the server started, then the server.
import { createBackend } from '../backend/lab-backend';
import { ensureRendererBuilt } from '../server/renderer-build';
import { serveLab } from '../server/server';
import { UsageError, type CommandArgs } from './spec';

export async function serveCommand(args: CommandArgs, intro?: string): Promise<number> {
  const portArg = args.options.get('port');
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${portArg}" is not a TCP port (0-65535; 0 picks a free one)`);
  const staticDir = await ensureRendererBuilt((s) => process.stderr.write(`${s}\n`));
  const backend = createBackend({ mode: 'browser' });
  const server = await serveLab({ backend, staticDir, port }).catch((e: NodeJS.ErrnoException) => {
    throw new Error(e.code === 'EADDRINUSE' ? `--port ${port}: the port is in use; pick another or leave --port out` : e.message);
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
