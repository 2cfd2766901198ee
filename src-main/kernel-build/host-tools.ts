// What `pmem-lab kernel build` needs of the host, for doctor: the programs
// and headers kbuild uses for the presets' configs (objtool links libelf), and
// Debian's kernel source; each with the Debian package shipping it.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { which } from '../util/which';
import { debianSourceVersion, SOURCE_PACKAGE } from './source';

export interface BuildNeed {
  what: string;
  pkg: string;
  /** a program on PATH, or any of these files */
  program?: string;
  files?: readonly string[];
}

export const BUILD_NEEDS: readonly BuildNeed[] = [
  { what: 'make', pkg: 'make', program: 'make' },
  { what: 'gcc', pkg: 'gcc', program: 'gcc' },
  { what: 'flex', pkg: 'flex', program: 'flex' },
  { what: 'bison', pkg: 'bison', program: 'bison' },
  { what: 'bc', pkg: 'bc', program: 'bc' },
  { what: 'perl', pkg: 'perl-base', program: 'perl' },
  { what: 'tar', pkg: 'tar', program: 'tar' },
  { what: 'xz', pkg: 'xz-utils', program: 'xz' },
  { what: 'libelf headers', pkg: 'libelf-dev', files: ['/usr/include/gelf.h', '/usr/include/libelf.h'] },
  // gcc only recommends libc6-dev, and the host programs kbuild compiles first (fixdep, conf) include stdio.h
  { what: 'libc headers', pkg: 'libc6-dev', files: ['/usr/include/stdio.h'] },
];

export interface HostLook {
  which(program: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  sourceVersion(): Promise<string | undefined>;
}

const realLook: HostLook = {
  which,
  exists: (path) =>
    access(path, constants.F_OK).then(
      () => true,
      () => false,
    ),
  sourceVersion: debianSourceVersion,
};

export interface BuildTools {
  /** what is there, e.g. "linux-source-6.1 6.1.192-2" for the source */
  found: string[];
  missing: { what: string; pkg: string }[];
}

export async function kernelBuildTools(look: HostLook = realLook): Promise<BuildTools> {
  const found: string[] = [];
  const missing: BuildTools['missing'] = [];
  for (const n of BUILD_NEEDS) {
    const here = n.program
      ? (await look.which(n.program)) !== undefined
      : (await Promise.all((n.files ?? []).map((f) => look.exists(f)))).some(Boolean);
    if (here) found.push(n.what);
    else missing.push({ what: n.what, pkg: n.pkg });
  }
  const version = await look.sourceVersion();
  if (version) found.push(`${SOURCE_PACKAGE} ${version}`);
  else missing.push({ what: SOURCE_PACKAGE, pkg: SOURCE_PACKAGE });
  return { found, missing };
}
