// pmem-lab mcp on stdin and stdout. stdout carries protocol messages and nothing else: the console is pointed at
// stderr before anything runs (no module in src-main writes to stdout outside the CLI's printing commands; this
// keeps a stray console.log from breaking the protocol). When the client goes (stdin ends), every guest this
// server booted is stopped before it returns: no QEMU outlives its client.
import { Console } from 'node:console';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { LabBackend } from '../backend/lab-backend';
import { createLabMcpServer } from './server';

/** The global console writes to stderr only, so logging cannot reach the protocol's stream. */
export function consoleToStderr(): void {
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
}

/** Serves until the client closes stdin; resolves once every guest is stopped. */
export async function serveStdio(backend: LabBackend, version: string): Promise<void> {
  consoleToStderr();
  const lab = createLabMcpServer(backend, version);
  let ended!: () => void;
  const gone = new Promise<void>((resolve) => (ended = resolve));
  process.stdin.once('end', ended);
  process.stdin.once('close', ended);
  await lab.server.connect(new StdioServerTransport());
  process.stderr.write('pmem-lab mcp: serving on stdin/stdout; closing stdin stops every guest it booted\n');
  await gone;
  await lab.close();
  await backend.stopAll();
}
