// The guest kit: an uncompressed vmlinux (PVH boot) and an uncompressed
// initramfs with busybox, ndctl/daxctl and the pmem modules. Cached under a
// hash of every input's content; rebuilt when any input changes.
import { appRoot } from '../util/app-root';
import { createHash } from 'node:crypto';
import { readFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { execa } from 'execa';
import { writeCpio, type CpioEntry } from './cpio';
import { extractVmlinux, hasPvhNote, PAYLOADS, unpackFile, withoutZeroTails } from './vmlinux';
import { GUEST_MODULES, isLateModule, planModules, readModuleIndex } from './modules';
import { sharedLibraries } from './libs';
import { findGuestTools, type KernelInput } from './sources';
import { writeFileAtomic } from '../util/atomic';
import { which } from '../util/which';

/** Bump when the layout of the kit changes in a way its inputs do not show. */
const KIT_FORMAT = 6;
const GUEST_DIR = join(appRoot(), 'src-main/kit/guest');

export interface Kit {
  /** what QEMU gets as -kernel: the ELF vmlinux when it has a PVH note, else the original image */
  kernel: string;
  initrd: string;
  pvh: boolean;
  release: string;
  hash: string;
  cached: boolean;
  modules: string[];
}

export type KitProgress = {
  stage: 'hash' | 'cached' | 'extract' | 'modules' | 'libraries' | 'initramfs' | 'done';
  detail: string;
};

export interface KitOptions {
  kernel: KernelInput;
  cacheRoot: string;
  onProgress?: (p: KitProgress) => void;
}

export async function buildKit({ kernel, cacheRoot, onProgress = () => {} }: KitOptions): Promise<Kit> {
  const tools = await findGuestTools();
  const index = await readModuleIndex(kernel.modulesDir);
  const plan = planModules(index.dep, index.builtin, GUEST_MODULES);
  const shipped = [...plan.load, ...plan.cxl, ...plan.onDemand];
  const libs = await sharedLibraries([tools.ndctl, tools.daxctl, tools.cxl, tools.busybox]);
  const guestFiles = {
    init: await readFile(join(GUEST_DIR, 'init.sh')),
    agent: await readFile(join(GUEST_DIR, 'agent.sh')),
    profile: await readFile(join(GUEST_DIR, 'profile.sh')),
  };

  onProgress({ stage: 'hash', detail: `hashing ${4 + shipped.length + libs.length} inputs` });
  const inputs = [
    kernel.image,
    tools.busybox,
    tools.ndctl,
    tools.daxctl,
    tools.cxl,
    ...libs,
    ...shipped.map((m) => join(kernel.modulesDir, m)),
  ];
  const h = createHash('sha256')
    .update(`kit-format-${KIT_FORMAT}\n${kernel.release}\n`)
    .update(guestFiles.init)
    .update(guestFiles.agent)
    .update(guestFiles.profile);
  const contents = new Map<string, Buffer>();
  for (const path of inputs) {
    const data = await readFile(path);
    contents.set(path, data);
    h.update(path).update('\0').update(data);
  }
  const hash = h.digest('hex').slice(0, 16);
  const dir = join(cacheRoot, 'kit', hash);
  const manifestPath = join(dir, 'manifest.json');
  const cachedManifest = await readFile(manifestPath, 'utf8').then(
    (t) => JSON.parse(t) as Kit,
    () => undefined,
  );
  if (cachedManifest) {
    onProgress({ stage: 'cached', detail: dir });
    return { ...cachedManifest, cached: true };
  }

  onProgress({ stage: 'extract', detail: `decompressing ${kernel.image}` });
  const image = contents.get(kernel.image)!;
  const { elf } = await extractVmlinux(image);
  const pvh = hasPvhNote(elf);

  const onDemand = plan.onDemand.length ? `, ${plan.onDemand.length} for modprobe` : '';
  onProgress({
    stage: 'modules',
    detail: `${plan.load.length} modules (${plan.builtin.length} built in${onDemand})`,
  });
  const entries: CpioEntry[] = [
    'bin',
    'sbin',
    'dev',
    'proc',
    'sys',
    'tmp',
    'run',
    'root',
    'etc',
    'etc/pmem-lab',
    'lib',
    'lib64',
    'usr',
    'usr/bin',
    'usr/lib',
  ].map((path) => ({ path, type: 'dir' as const }));
  const addFile = (path: string, data: Uint8Array, mode = 0o644) => {
    mkdirs(entries, dirname(path));
    entries.push({ path, type: 'file', data, mode });
  };
  const modRoot = `/lib/modules/${kernel.release}`;
  for (const m of shipped)
    addFile(`${modRoot}/${m.replace(/\.(xz|zst|gz)$/, '')}`, await moduleBytes(join(kernel.modulesDir, m), contents));
  const listOf = (mods: string[]) =>
    Buffer.from(mods.map((m) => `${modRoot}/${m.replace(/\.(xz|zst|gz)$/, '')}\n`).join(''));
  addFile('/etc/pmem-lab/modules', listOf(plan.load.filter((m) => !isLateModule(m))));
  addFile('/etc/pmem-lab/modules.later', listOf(plan.load.filter(isLateModule)));
  addFile('/etc/pmem-lab/modules.cxl', listOf(plan.cxl));
  for (const [name, data] of Object.entries(await depmodIndex(kernel, shipped, contents)))
    addFile(`${modRoot}/${name}`, data);

  onProgress({ stage: 'libraries', detail: `${libs.length} shared libraries for ndctl, daxctl and cxl` });
  for (const lib of libs) addFile(lib, contents.get(lib)!, 0o755);
  addFile('/bin/busybox', contents.get(tools.busybox)!, 0o755);
  addFile('/bin/ndctl', contents.get(tools.ndctl)!, 0o755);
  addFile('/bin/daxctl', contents.get(tools.daxctl)!, 0o755);
  addFile('/bin/cxl', contents.get(tools.cxl)!, 0o755);
  addFile('/init', guestFiles.init, 0o755);
  addFile('/bin/agent.sh', guestFiles.agent, 0o755);
  addFile('/etc/profile', guestFiles.profile);
  addFile('/etc/passwd', Buffer.from('root:x:0:0:root:/root:/bin/sh\n'));
  const applets = (await execa(tools.busybox, ['--list'])).stdout
    .split('\n')
    .filter((a) => /^[\w.[-]+$/.test(a) && !['ndctl', 'daxctl', 'cxl', 'busybox'].includes(a));
  for (const a of applets) entries.push({ path: `/bin/${a}`, type: 'symlink', target: 'busybox' });
  entries.push({ path: '/sbin/init', type: 'symlink', target: '/init' });

  onProgress({ stage: 'initramfs', detail: `${entries.length} entries` });
  const tmp = `${dir}.${process.pid}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const kernelPath = join(dir, pvh ? 'vmlinux' : 'bzImage');
  await writeFileAtomic(join(tmp, pvh ? 'vmlinux' : 'bzImage'), pvh ? withoutZeroTails(elf) : image);
  await writeFileAtomic(join(tmp, 'initramfs.cpio'), writeCpio(entries));
  const kit: Kit = {
    kernel: kernelPath,
    initrd: join(dir, 'initramfs.cpio'),
    pvh,
    release: kernel.release,
    hash,
    cached: false,
    modules: shipped,
  };
  await writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(kit, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  onProgress({ stage: 'done', detail: dir });
  return kit;
}

function mkdirs(entries: CpioEntry[], dir: string): void {
  const parts = dir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    if (!entries.some((e) => e.type === 'dir' && e.path.replace(/^\//, '') === p))
      entries.push({ path: p, type: 'dir' });
  }
}

const MODULE_COMPRESSION: Record<string, string> = { '.xz': 'xz', '.zst': 'zstd', '.gz': 'gzip' };

async function moduleBytes(path: string, contents: Map<string, Buffer>): Promise<Buffer> {
  const data = contents.get(path)!;
  const p = PAYLOADS.find((q) => q.name === MODULE_COMPRESSION[extname(path)]);
  return p ? unpackFile(p, data, path) : data;
}

/** depmod's index files for just the modules in the kit, so libkmod in the guest (daxctl) finds them. */
async function depmodIndex(
  kernel: KernelInput,
  modules: string[],
  contents: Map<string, Buffer>,
): Promise<Record<string, Buffer>> {
  const depmod = await which('depmod');
  if (!depmod) return {};
  const stage = join(tmpdir(), `pmem-lab-depmod-${process.pid}`);
  const root = join(stage, 'lib', 'modules', kernel.release);
  try {
    for (const m of modules) {
      const p = join(root, m.replace(/\.(xz|zst|gz)$/, ''));
      await mkdir(dirname(p), { recursive: true });
      await writeFileAtomic(p, await moduleBytes(join(kernel.modulesDir, m), contents));
    }
    for (const f of ['modules.builtin', 'modules.order', 'modules.builtin.modinfo']) {
      const src = join(kernel.modulesDir, f);
      if (
        await stat(src).then(
          () => true,
          () => false,
        )
      )
        await writeFileAtomic(join(root, f), await readFile(src));
    }
    await execa(depmod, ['-b', stage, kernel.release]);
    const out: Record<string, Buffer> = {};
    for (const f of [
      'modules.dep',
      'modules.dep.bin',
      'modules.alias',
      'modules.alias.bin',
      'modules.symbols.bin',
      'modules.builtin',
      'modules.builtin.bin',
      'modules.softdep',
    ]) {
      const p = join(root, f);
      if (
        await stat(p).then(
          () => true,
          () => false,
        )
      )
        out[f] = await readFile(p);
    }
    return out;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
