// Which kernel modules the guest needs, and in which order to load them:
// every module after the modules it depends on, as modules.dep lists them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The pmem, dax and hotplug modules (docs/architecture.md "Boot path"), in the
 * order the guest loads them (drivers before the devices that need them).
 */
export const GUEST_MODULES = [
  'libnvdimm',
  'nd_btt',
  'nd_pmem',
  'nd_e820',
  'nfit',
  'device_dax',
  'dax_pmem',
  'kmem',
  'dax_hmem',
  'virtio_pci',
  'virtio_mem',
] as const;

/**
 * The CXL drivers (cxl_core and cxl_port are built into Debian's 6.1): in the kit when the kernel ships them, so a
 * kernel without CXL still makes a kit, and loaded by init.sh only when the firmware describes a CXL root (ACPI0017,
 * QEMU's cxl=on): guests without CXL boot as before, without their insmod time under TCG.
 */
export const CXL_MODULES = ['cxl_acpi', 'cxl_pci', 'cxl_mem', 'cxl_pmem'] as const;

/**
 * In the kit when the kernel ships them, loaded by nobody until the user runs
 * modprobe: test_hmm (the hmm preset's device-private memory driver).
 */
export const ON_DEMAND_MODULES = ['test_hmm'] as const;

/** Loaded after the guest is ready: nothing at boot depends on them, and every insmod costs tens of ms under TCG. */
export const LATE_MODULES = new Set([
  'virtio_ring',
  'virtio',
  'virtio_pci_modern_dev',
  'virtio_pci_legacy_dev',
  'virtio_pci',
  'virtio_mem',
]);

export function isLateModule(relPath: string): boolean {
  return LATE_MODULES.has(moduleName(relPath));
}

const canon = (name: string) => name.replace(/-/g, '_');
const moduleName = (relPath: string) =>
  canon(
    relPath
      .split('/')
      .pop()!
      .replace(/\.ko(\.(xz|zst|gz))?$/, ''),
  );

export interface ModulePlan {
  /** paths relative to the modules folder, in load order */
  load: string[];
  builtin: string[];
  /** the CXL drivers this kernel ships, with what they need that `load` lacks, loaded at boot where there is CXL */
  cxl: string[];
  /** on-demand modules this kernel ships, with what they need that `load` lacks */
  onDemand: string[];
}

export function parseModulesDep(text: string): Map<string, { path: string; deps: string[] }> {
  const byName = new Map<string, { path: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon).trim();
    const deps = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    byName.set(moduleName(path), { path, deps });
  }
  return byName;
}

export function planModules(depText: string, builtinText: string, wanted: readonly string[]): ModulePlan {
  const dep = parseModulesDep(depText);
  const builtinSet = new Set(builtinText.split('\n').filter(Boolean).map(moduleName));
  const pathToName = new Map([...dep.entries()].map(([n, e]) => [e.path, n]));
  const load: string[] = [];
  const builtin: string[] = [];
  const missing: string[] = [];
  const visit = (name: string) => {
    const e = dep.get(name);
    if (!e) {
      if (!builtinSet.has(name)) missing.push(name);
      else if (!builtin.includes(name)) builtin.push(name);
      return;
    }
    if (load.includes(e.path)) return;
    // modules.dep lists a module's dependencies nearest first; load the farthest first.
    for (const d of [...e.deps].reverse()) visit(pathToName.get(d) ?? moduleName(d));
    load.push(e.path);
  };
  wanted.forEach((w) => visit(canon(w)));
  const boot = load.length;
  for (const m of CXL_MODULES) if (dep.has(m)) visit(m);
  const cxl = load.length;
  for (const m of ON_DEMAND_MODULES) if (dep.has(m)) visit(m);
  if (missing.length) {
    throw new Error(
      `the kernel has no module for ${missing.join(', ')} (neither built in nor in modules.dep): enable ` +
        `CONFIG_LIBNVDIMM, CONFIG_ACPI_NFIT, CONFIG_DEV_DAX_KMEM and friends as modules or built-ins`,
    );
  }
  return { load: load.slice(0, boot), builtin, cxl: load.slice(boot, cxl), onDemand: load.slice(cxl) };
}

export async function readModuleIndex(modulesDir: string): Promise<{ dep: string; builtin: string }> {
  const dep = await readFile(join(modulesDir, 'modules.dep'), 'utf8').catch(() => {
    throw new Error(
      `no modules.dep in ${modulesDir}: run depmod for that kernel, or pass the lib/modules/VERSION folder with ` +
        `--modules`,
    );
  });
  const builtin = await readFile(join(modulesDir, 'modules.builtin'), 'utf8').catch(() => '');
  return { dep, builtin };
}
