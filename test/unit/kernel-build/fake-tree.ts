// A stand-in kernel tree and a lab root of its own, so the builder's whole
// path (config check, compile progress, install, cache, lock, abort) runs in
// a second: its Makefile makes in O= what kbuild's targets would, printing
// kbuild's "  CC" lines. FAKE_DROP names a symbol its allnoconfig drops (as
// kconfig drops one whose dependencies are unmet), FAKE_SLEEP a compile that
// takes that long.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_RELEASE = '6.1.0-fake';

const MAKEFILE = `kernelversion:
\t@echo ${FAKE_RELEASE}
kernelrelease:
\t@echo ${FAKE_RELEASE}
allnoconfig:
\t@echo "  HOSTCC  scripts/kconfig/conf.o"
\t@grep -v "^CONFIG_$(or $(FAKE_DROP),NONE)=" $(KCONFIG_ALLCONFIG) > $(O)/.config
vmlinux:
\t@for i in 1 2 3 4; do echo "  CC      obj$$i.o"; done
\t@sleep $(or $(FAKE_SLEEP),0)
\t@echo "  LD      vmlinux.o"
\t@printf '\\177ELF fake' > $(O)/vmlinux
bzImage modules:
\t@echo "  CC [M]  $@.o"
modules_install:
\t@mkdir -p $(INSTALL_MOD_PATH)/lib/modules/${FAKE_RELEASE}/kernel/lib
\t@touch $(INSTALL_MOD_PATH)/lib/modules/${FAKE_RELEASE}/kernel/lib/test_hmm.ko
\t@echo "kernel/lib/test_hmm.ko:" > $(INSTALL_MOD_PATH)/lib/modules/${FAKE_RELEASE}/modules.dep
\t@ln -s $(O) $(INSTALL_MOD_PATH)/lib/modules/${FAKE_RELEASE}/build
\t@ln -s $(CURDIR) $(INSTALL_MOD_PATH)/lib/modules/${FAKE_RELEASE}/source
`;

export interface FakeLab {
  /** the lab root (PMEM_LAB_ROOT) with kernel-presets/; remove() puts the environment back */
  root: string;
  tree: string;
  data: string;
  cache: string;
  writePreset(name: string, text: string): void;
  remove(): void;
}

/** A temp lab: presets base (CONFIG_BASE_A=y) and hmm (CONFIG_HMM_B=m), a tree, and the env pointing at them. */
export function fakeLab(): FakeLab {
  const top = mkdtempSync(join(tmpdir(), 'pmem-lab-kbuild-'));
  const lab: FakeLab = {
    root: join(top, 'root'),
    tree: join(top, 'linux'),
    data: join(top, 'data'),
    cache: join(top, 'cache'),
    writePreset: (name, text) => writeFileSync(join(lab.root, 'kernel-presets', `${name}.config`), text),
    remove: () => {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(top, { recursive: true, force: true });
    },
  };
  const before = { PMEM_LAB_ROOT: '', PMEM_LAB_DATA: '', PMEM_LAB_CACHE: '' } as Record<string, string | undefined>;
  for (const k of Object.keys(before)) before[k] = process.env[k];
  mkdirSync(join(lab.root, 'kernel-presets'), { recursive: true });
  lab.writePreset('base', '# The base.\n#\n# More words.\nCONFIG_BASE_A=y\n');
  lab.writePreset('hmm', '# Device-private memory,\n# and its test driver.\nCONFIG_HMM_B=m\n');
  mkdirSync(join(lab.tree, 'arch/x86'), { recursive: true });
  writeFileSync(join(lab.tree, 'Makefile'), MAKEFILE);
  writeFileSync(join(lab.tree, 'Kconfig'), '');
  writeFileSync(join(lab.tree, 'arch/x86/Kconfig'), '');
  process.env.PMEM_LAB_ROOT = lab.root;
  process.env.PMEM_LAB_DATA = lab.data;
  process.env.PMEM_LAB_CACHE = lab.cache;
  return lab;
}
