// The shared libraries a host binary needs, so it runs inside the initramfs.
import { execa } from 'execa';

/** Absolute paths of every library ldd resolves for the binaries, the program interpreter included. */
export async function sharedLibraries(binaries: string[]): Promise<string[]> {
  const libs = new Set<string>();
  for (const bin of binaries) {
    const r = await execa('ldd', [bin], { reject: false });
    if (/not a dynamic executable|statically linked/.test(r.stdout + r.stderr)) continue;
    if (r.exitCode !== 0) throw new Error(`ldd ${bin} failed: ${r.stderr.trim() || r.stdout.trim()}`);
    for (const line of r.stdout.split('\n')) {
      if (/=>\s+not found/.test(line))
        throw new Error(`${bin} needs ${line.trim().split(/\s/)[0]}, which is not installed`);
      const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
      if (m) libs.add(m[1]!);
    }
  }
  return [...libs].sort();
}
