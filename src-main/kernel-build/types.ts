// The public shapes of the kernel builder (index.ts re-exports them).

export interface PresetInfo {
  name: string;
  /** the first paragraph of the fragment's leading comment */
  description: string;
  /** the build of the preset's current fragments from Debian's source, if there is one */
  built?: BuiltKernel;
}

export interface BuiltKernel {
  preset: string;
  /** the sha256 of the build format, the source's identity and the merged config; the folder has its first 12 */
  hash: string;
  dir: string;
  /** the ELF vmlinux (with its PVH note, what QEMU boots fastest) */
  image: string;
  /** DIR/lib/modules/RELEASE, with modules.dep */
  modulesDir: string;
  release: string;
  /** how long the build took */
  seconds: number;
  builtAt: string;
}

export interface BuildProgress {
  stage: 'source' | 'config' | 'compile' | 'install' | 'done' | 'cached';
  detail: string;
  percent?: number;
  etaSeconds?: number;
}
