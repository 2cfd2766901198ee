// Starts QEMU with an argv (never a shell), in its own process group, tied to
// our life by PR_SET_PDEATHSIG (setpriv --pdeathsig) so even a SIGKILLed
// backend leaves no QEMU behind. The serial lines and QMP are unix sockets
// we listen on before QEMU starts; QEMU connects to them as a client, so no
// output can be lost to a race.
import { createServer, type Server, type Socket } from 'node:net';
import { execa, type ResultPromise } from 'execa';
import { which } from '../util/which';

export interface QemuExit {
  code: number | null;
  signal: string | null;
  stderr: string;
}

export interface LaunchedQemu {
  pid: number;
  console: Socket;
  probe: Socket;
  qmp: Socket;
  exited: Promise<QemuExit>;
  /** SIGKILL to the whole process group. */
  kill(): void;
  stderrTail(): string;
}

export interface LaunchOptions {
  argv: string[];
  sockets: { console: string; probe: string; qmp: string };
  connectTimeoutMs?: number;
  /** injectable for tests that need a stand-in for QEMU */
  binary?: string;
}

const STDERR_KEEP = 8192;

export async function qemuBinary(): Promise<string> {
  const bin = await which('qemu-system-x86_64');
  if (!bin)
    throw new Error('qemu-system-x86_64 not found\n  fix: apt-get install -y --no-install-recommends qemu-system-x86');
  return bin;
}

export async function launchQemu(opts: LaunchOptions): Promise<LaunchedQemu> {
  const binary = opts.binary ?? (await qemuBinary());
  const servers = await Promise.all([opts.sockets.console, opts.sockets.probe, opts.sockets.qmp].map(listen));
  const setpriv = await which('setpriv');
  const [file, args] = setpriv
    ? [setpriv, ['--pdeathsig', 'SIGKILL', '--', binary, ...opts.argv]]
    : [binary, opts.argv];
  let child: ResultPromise;
  try {
    child = execa(file, args, {
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      detached: true,
      cleanup: true,
      reject: false,
      encoding: 'utf8',
      buffer: false,
    });
  } catch (e) {
    servers.forEach((s) => s.close());
    throw e;
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP);
  });
  const pid = child.pid!;
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  const exited: Promise<QemuExit> = child.then(
    (r) => ({ code: r.exitCode ?? null, signal: r.signal ?? null, stderr }),
    (e: { exitCode?: number; signal?: string }) => ({ code: e.exitCode ?? null, signal: e.signal ?? null, stderr }),
  );
  try {
    const timeout = opts.connectTimeoutMs ?? 10_000;
    const [console, probe, qmp] = await Promise.all(
      servers.map((s, i) => accept(s, exited, timeout, ['console', 'probe', 'QMP'][i]!, () => stderr)),
    );
    return { pid, console: console!, probe: probe!, qmp: qmp!, exited, kill, stderrTail: () => stderr };
  } catch (e) {
    kill();
    await exited;
    throw e;
  } finally {
    servers.forEach((s) => s.close());
  }
}

function listen(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(path, () => resolve(s));
  });
}

function accept(
  server: Server,
  exited: Promise<QemuExit>,
  timeoutMs: number,
  what: string,
  stderr: () => string,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`QEMU did not connect its ${what} socket within ${timeoutMs} ms: ${lastLines(stderr())}`)),
      timeoutMs,
    );
    server.once('connection', (s) => {
      clearTimeout(timer);
      resolve(s);
    });
    void exited.then((x) => {
      clearTimeout(timer);
      reject(new Error(`QEMU exited before connecting (${x.signal ?? `code ${x.code}`}): ${lastLines(x.stderr)}`));
    });
  });
}

export function lastLines(text: string, n = 5): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines.length ? lines.slice(-n).join('\n') : '(no output on stderr)';
}
