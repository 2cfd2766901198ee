// Memory the lab costs: a fresh backend process plus one running guest's QEMU
// (resident set sizes from /proc), after boot and a snapshot. The backend runs
// in its own process so the bench's own heap (16 TiB models, Chromium driver)
// does not count. A checkpointed guest's RAM is a tmpfs file QEMU maps: it
// counts whole, as the pages the file holds, whether QEMU touched them since
// or not.
import { readFile, stat } from 'node:fs/promises';
import { execa } from 'execa';
import { LabBackend } from '../../src-main/backend/lab-backend';
import { loadProfile } from '../../src-main/store/profiles';
import { heldRamFiles } from '../../src-main/guest/ram-files';
import type { SessionInfo } from '../../src-shared/api/contract';
import { median } from './stats';

const PROFILE = 'nvdimm-1g-labels';

async function rssKiB(pid: number | 'self'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  let ramFiles = 0;
  if (pid !== 'self') for (const fd of (await heldRamFiles(pid)).values()) ramFiles += (await stat(fd)).blocks / 2;
  return field('VmRSS') - field('RssShmem') + ramFiles;
}

/** In the child: boot, snapshot, print both resident sizes in MiB, stop. */
async function measureOnce(): Promise<void> {
  const lab = new LabBackend({ mode: 'browser' });
  let ready!: (s: SessionInfo) => void;
  const isReady = new Promise<SessionInfo>((r) => (ready = r));
  lab.subscribe(
    (name, p) => name === 'session.state' && (p as SessionInfo).phase === 'ready' && ready(p as SessionInfo),
  );
  const r = await lab.call('vm.boot', { profile: PROFILE });
  if (!r.ok) throw new Error(r.error.message);
  const s = await isReady;
  await lab.call('session.snapshot', { session: s.id });
  const pid = Number(
    (await execa('pgrep', ['-f', `qemu-system-x86_64 -name pmem-lab-${PROFILE}`])).stdout.split('\n')[0],
  );
  console.log(JSON.stringify({ backend: (await rssKiB('self')) / 1024, qemu: (await rssKiB(pid)) / 1024 }));
  await lab.stopAll();
}

export async function benchRss(
  runs: number,
): Promise<{ app_rss_mb: number; backend_rss_mb: number; qemu_rss_mb: number; guest: string }> {
  const backend: number[] = [];
  const qemu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await execa('node', ['--import', 'tsx', import.meta.filename, '--child']);
    const m = JSON.parse(stdout.trim().split('\n').pop()!) as { backend: number; qemu: number };
    backend.push(m.backend);
    qemu.push(m.qemu);
  }
  const b = median(backend);
  const q = median(qemu);
  const p = await loadProfile(PROFILE);
  const gib = (bytes: number) => `${bytes / 2 ** 30} GiB`;
  const guest = `${PROFILE}: ${gib(p.memory.size)} RAM, ${p.nvdimms.map((d) => `${gib(d.size)} NVDIMM`).join(', ')}`;
  return { app_rss_mb: Math.round(b + q), backend_rss_mb: Math.round(b), qemu_rss_mb: Math.round(q), guest };
}

if (process.argv.includes('--child')) await measureOnce();
else if (import.meta.filename === process.argv[1]) console.log(await benchRss(Number(process.env.BENCH_RUNS ?? 5)));
