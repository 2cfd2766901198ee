import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointKey, stableArgv, type KeyInputs } from '../../../src-main/checkpoint/key';

async function inputs(): Promise<KeyInputs> {
  const dir = await mkdtemp(join(tmpdir(), 'ckkey-'));
  const qemu = join(dir, 'qemu');
  const image = join(dir, 'nvdimm0.img');
  await writeFile(qemu, 'binary');
  await writeFile(image, 'labels');
  return {
    kitHash: 'kit1',
    kernel: '/cache/kit1/vmlinux',
    initrd: '/cache/kit1/initramfs.cpio',
    qemuBinary: qemu,
    qemuVersion: '7.2.15',
    argv: [
      '-m',
      '2048M',
      '-object',
      'memory-backend-file,id=pc.ram,size=2048M,mem-path=/dev/shm/pl/ab12/pc.ram,share=on',
      '-kernel',
      '/cache/kit1/vmlinux',
      '-chardev',
      'socket,id=probe,path=/run/pl/ab12/probe.sock',
    ],
    runDir: '/run/pl/ab12',
    ramDir: '/dev/shm/pl/ab12',
    persistentImages: [image],
  };
}

describe('checkpoint keys', () => {
  it('replace the boot’s own paths, so two boots of one profile share a key', async () => {
    const a = await inputs();
    expect(stableArgv(a)).toEqual([
      '-m',
      '2048M',
      '-object',
      'memory-backend-file,id=pc.ram,size=2048M,mem-path=$RAM/pc.ram,share=on',
      '-kernel',
      '$KERNEL',
      '-chardev',
      'socket,id=probe,path=$RUN/probe.sock',
    ]);
    const other = (x: string) => x.replace('/run/pl/ab12', '/run/pl/ffff').replace('/shm/pl/ab12', '/shm/pl/ffff');
    const b = { ...a, runDir: '/run/pl/ffff', ramDir: '/dev/shm/pl/ffff', argv: a.argv.map(other) };
    expect((await checkpointKey(b)).key).toBe((await checkpointKey(a)).key);
    // nor does the name QEMU's process is labelled with (the guest never sees it)
    const named = { ...a, argv: ['-name', 'pmem-lab-fuzz-1-2', ...a.argv] };
    const renamed = { ...a, argv: ['-name', 'pmem-lab-fuzz-1-3', ...a.argv] };
    expect((await checkpointKey(named)).key).toBe((await checkpointKey(renamed)).key);
  });

  it('change with everything that decides the guest', async () => {
    const a = await inputs();
    const base = (await checkpointKey(a)).key;
    const variants: Partial<KeyInputs>[] = [
      { kitHash: 'kit2' },
      { qemuVersion: '8.2.0' },
      { argv: [...a.argv, '-append', 'memmap=1G!4G'] },
    ];
    for (const v of variants) expect((await checkpointKey({ ...a, ...v })).key).not.toBe(base);
    // the QEMU binary replaced in place (same path and version string)
    await utimes(a.qemuBinary, new Date(), new Date(Date.now() + 5000));
    expect((await checkpointKey(a)).key).not.toBe(base);
  });

  it('change when a persistent image was written since', async () => {
    const a = await inputs();
    const before = (await checkpointKey(a)).key;
    await writeFile(a.persistentImages[0]!, 'labels, and a namespace');
    expect((await checkpointKey(a)).key).not.toBe(before);
  });
});
