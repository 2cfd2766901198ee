// doctor's check of what pmem-lab kernel build needs: a warning at most (the
// lab boots the host's kernel without it), with the Debian packages to install.
import { describe, expect, it } from 'vitest';
import { kernelBuildResult } from '../../../src-main/cli/doctor-checks';
import { kernelBuildTools, type HostLook } from '../../../src-main/kernel-build/host-tools';

describe('doctor: kernel build tools', () => {
  const look = (missing: string[], version?: string): HostLook => ({
    which: (p) => Promise.resolve(missing.includes(p) ? undefined : `/usr/bin/${p}`),
    exists: (f) => Promise.resolve(!missing.includes(f)),
    sourceVersion: () => Promise.resolve(version),
  });

  it('is ok with everything there, naming the source version', async () => {
    expect(kernelBuildResult(await kernelBuildTools(look([], '6.1.192-2')))).toBe(
      'make, gcc, flex, bison, bc, perl, tar, xz, libelf headers, libc headers, linux-source-6.1 6.1.192-2: ' +
        "pmem-lab kernel build can build the lab's own kernels",
    );
  });

  it("warns (the lab boots the host's kernel without them) with the Debian packages to install", async () => {
    const t = await kernelBuildTools(look(['flex', 'bison', '/usr/include/gelf.h', '/usr/include/libelf.h']));
    expect(kernelBuildResult(t)).toEqual({
      status: 'warn',
      detail:
        "no flex, bison, libelf headers, linux-source-6.1: pmem-lab kernel build cannot build the lab's own " +
        "kernels (kernel: { preset: ... } in a profile); the host's kernel boots without them",
      fix: 'apt-get install -y --no-install-recommends flex bison libelf-dev linux-source-6.1',
    });
    // either libelf header will do
    expect((await kernelBuildTools(look(['/usr/include/gelf.h'], '1'))).missing).toEqual([]);
  });
});
