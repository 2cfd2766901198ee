import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfileYaml, validateProfile } from '../../../src-shared/profile/validate';
import { errorsOf } from './refused';
import { nvdimmBackendSize } from '../../../src-shared/profile/schema';
import { profileJsonSchema } from '../../../src-shared/profile/json-schema';

const PROFILES = join(import.meta.dirname, '../../../qemu-profiles');
const base = { name: 't', memory: { size: '2G', slots: 4, maxmem: '8G' } };

describe('profile schema', () => {
  it('accepts every shipped profile', () => {
    const files = readdirSync(PROFILES).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual([
      'big-256g.yaml',
      'big-64g.yaml',
      'dimm-hotplug.yaml',
      'hmm-lab-kernel.yaml',
      'legacy-memmap.yaml',
      'memmap-on-memory.yaml',
      'numa-pmem-node.yaml',
      'nvdimm-1g-labelless.yaml',
      'nvdimm-1g-labels.yaml',
      'q35-cxl-kmem.yaml',
      'q35-cxl-pmem.yaml',
      'q35-nvdimm.yaml',
      'virtio-mem.yaml',
    ]);
    for (const f of files) {
      const r = parseProfileYaml(readFileSync(join(PROFILES, f), 'utf8'));
      expect(r.ok, `${f}: ${JSON.stringify(!r.ok && r.errors)}`).toBe(true);
      if (r.ok) expect(`${r.value.name}.yaml`).toBe(f);
    }
  });

  it('reads sizes with binary suffixes and fills defaults', () => {
    const r = validateProfile({ ...base, nvdimms: [{ id: 'nv0', size: '1G', labels: '128K' }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.memory.size).toBe(2 * 2 ** 30);
    expect(r.value.cpus).toBe(2);
    expect(r.value.machine).toBe('pc');
    expect(r.value.nvdimms[0]).toMatchObject({ size: 2 ** 30, labels: 128 * 1024, node: 0, backing: 'temporary' });
  });

  it('sizes the backing file so QEMU exposes exactly the requested region', () => {
    const r = validateProfile({
      ...base,
      nvdimms: [
        { id: 'a', size: '1G', labels: '128K' },
        { id: 'b', size: '1G' },
      ],
    });
    if (!r.ok) throw new Error('valid');
    // QEMU: region = ALIGN_DOWN(backend - label, 2M); a 128K label needs 2M more backing.
    expect(nvdimmBackendSize(r.value.nvdimms[0]!)).toBe(2 ** 30 + 2 * 2 ** 20);
    expect(nvdimmBackendSize(r.value.nvdimms[1]!)).toBe(2 ** 30);
  });

  it('names the field and the fix for each mistake', () => {
    expect(errorsOf({ ...base, memory: { size: 'lots' } })).toContainEqual({
      field: 'memory.size',
      message: expect.stringContaining('e.g. 512M'),
    });
    expect(errorsOf({ ...base, memory: { size: '2G', slots: 4 } })).toContainEqual({
      field: 'memory.maxmem',
      message: expect.stringContaining('set both'),
    });
    expect(errorsOf({ ...base, nvdimms: [{ id: 'nv,0', size: '1G' }] })[0]!.field).toBe('nvdimms[0].id');
    expect(errorsOf({ ...base, nvdimms: [{ id: 'nv0', size: '1G', labels: '4K' }] })).toContainEqual({
      field: 'nvdimms[0].labels',
      message: expect.stringContaining('128K'),
    });
    expect(errorsOf({ ...base, nvdimms: [{ id: 'nv0', size: '1G', node: 1 }] })[0]!.field).toBe('nvdimms[0].node');
    expect(errorsOf({ ...base, memory: { size: '2G' }, nvdimms: [{ id: 'nv0', size: '1G' }] })[0]!.field).toBe(
      'nvdimms',
    );
    expect(
      errorsOf({
        ...base,
        memory: { size: '2G', slots: 1, maxmem: '3G' },
        nvdimms: [{ id: 'a', size: '1G', labels: '128K' }],
      })[0]!.field,
    ).toBe('memory.maxmem');
    expect(errorsOf({ ...base, kernelArgs: ['memmap=1G!1G quiet'] })[0]!.field).toBe('kernelArgs[0]');
    expect(errorsOf({ ...base, numa: [{ node: 0, cpus: [0], memory: '1G' }] }).map((e) => e.field)).toEqual([
      'numa',
      'numa',
    ]);
    expect(errorsOf({ ...base, surprise: 1 })[0]!.message).toMatch(/surprise/);
  });

  it('says what is wrong once, after the field, in sizes as people write them', () => {
    const nv = (nvdimm: object, memory = base.memory) =>
      errorsOf({ ...base, memory, nvdimms: [{ id: 'nv0', ...nvdimm }] });
    // the field is named by the error's path, never again in its message
    expect(nv({ size: '6442450944 bytes' })).toEqual([
      {
        field: 'nvdimms[0].size',
        message:
          '"6442450944 bytes" is not a size: write 6G (a size is bytes or a number with K, M, G or T, e.g. 512M)',
      },
    ]);
    expect(nv({ size: '1G', labels: '1.5M' })).toEqual([
      {
        field: 'nvdimms[0].labels',
        message: expect.stringMatching(/^"1.5M" is neither "none" nor a size: write 1536K /),
      },
    ]);
    expect(nv({ size: 6442450944, labels: '128K' })).toEqual([
      {
        field: 'memory.maxmem',
        message:
          'RAM 2G plus NVDIMM backing 6146M is 8194M, more than maxmem 8G; raise memory.maxmem to at least 8194M',
      },
    ]);
    expect(nv({ size: '1G' }, { size: '2G', slots: 4, maxmem: '1000M' })[0]!.message).toBe(
      'must be at least memory.size (2G)',
    );
    expect(errorsOf({ ...base, memory: { size: '1001M' } })[0]!.message).toBe(
      'must be a multiple of 2M: 1000M or 1002M',
    );
    expect(errorsOf({ ...base, numa: [{ node: 0, cpus: [0, 1], memory: '1G' }] })[0]!.message).toBe(
      'node memory adds up to 1G but memory.size is 2G; make them equal',
    );
  });

  it("refuses an NVDIMM region QEMU would not size as written, with QEMU's reason", () => {
    const sizeError = (size: string) =>
      errorsOf({ ...base, nvdimms: [{ id: 'nv0', size, labels: '128K' }] }).find((e) => e.field === 'nvdimms[0].size');
    expect(sizeError('1001M')?.message).toBe(
      "QEMU sizes an NVDIMM's region in whole 2M (hw/mem/nvdimm.c nvdimm_prepare_memory_region aligns it down), " +
        'so the guest cannot see 1001M: write 1000M or 1002M',
    );
    expect(sizeError('3145729')?.message).toMatch(/cannot see 3145729 bytes: write 2M or 4M$/);
    expect(sizeError('0')?.message).toBe("must be at least 2M: QEMU sizes an NVDIMM's region in whole 2M");
    expect(validateProfile({ ...base, nvdimms: [{ id: 'nv0', size: '1000M' }] }).ok).toBe(true);
  });

  it('refuses what QEMU refuses to start, and machines the model does not know, naming the field', () => {
    // each message below was seen from qemu-system-x86_64 7.2 (TCG, qemu64) with the same options
    const fields = (data: object) => errorsOf({ ...base, ...data }).map((e) => [e.field, e.message]);
    // 2 GiB + device memory up to 1010G reaches the HyperTransport hole: moved above 1 TiB, past 40 bits
    expect(fields({ memory: { size: '2G', slots: 4, maxmem: '1010G' } })).toEqual([
      ['memory.maxmem', expect.stringMatching(/up to 0x1fd7fffffff .* 40 physical address bits .*phys-bits too low/)],
    ]);
    expect(validateProfile({ ...base, memory: { size: '2G', slots: 4, maxmem: '1000G' } }).ok).toBe(true);
    expect(fields({ memory: { size: '1012G' } })).toEqual([
      ['memory.size', expect.stringMatching(/up to 0x1fcbfffffff /)],
    ]);
    expect(validateProfile({ ...base, memory: { size: '1000G' } }).ok).toBe(true);
    expect(fields({ memory: { size: '2G', slots: 4, maxmem: '2G' } })).toEqual([
      ['memory.maxmem', expect.stringContaining('maxmem equal to memory.size')],
    ]);
    const numa = (ids: number[]) => ({
      numa: ids.map((node, i) => ({ node, cpus: i ? [] : [0, 1], memory: i ? 0 : '2G' })),
    });
    expect(fields(numa([0, 2]))).toEqual([['numa[1].node', expect.stringContaining('Node ID missing')]]);
    expect(fields(numa([1, 0]))[0]![0]).toBe('numa[0].node');
    expect(validateProfile({ ...base, ...numa([0, 1]) }).ok).toBe(true);
    // q35's 64-bit PCI window is 32 GiB, pc's 2 GiB: the same device memory fits 40 address bits on pc only
    const wide = { memory: { size: '2G', slots: 4, maxmem: '990G' } };
    expect(validateProfile({ ...base, ...wide }).ok).toBe(true);
    expect(fields({ ...wide, machine: 'q35' })).toEqual([
      ['memory.maxmem', expect.stringContaining('phys-bits too low')],
    ]);
  });

  it('reports YAML syntax errors as such, with their line and column', () => {
    const r = parseProfileYaml('name: [unclosed');
    expect(r).toMatchObject({
      ok: false,
      errors: [{ field: '(yaml)', message: expect.stringMatching(/^not valid YAML at line 1, column 16: /) }],
    });
    const dup = parseProfileYaml('name: t\nmemory: { size: 2G }\nname: u\n');
    expect(dup).toMatchObject({
      ok: false,
      errors: [{ field: '(yaml)', message: 'not valid YAML at line 3, column 1: Map keys must be unique' }],
    });
  });

  it('names the keys allowed beside an unknown one, and where it is', () => {
    const r = parseProfileYaml(
      'name: t\nmemory: { size: 2G, slots: 4, maxmem: 8G }\nnvdimms:\n  - id: nv0\n    size: 1G\n    lables: 128K\n',
    );
    expect(r).toMatchObject({
      ok: false,
      errors: [
        {
          field: 'nvdimms[0]',
          line: 4,
          column: 5,
          message: 'unknown key "lables"; allowed keys: id, size, labels, node, backing',
        },
      ],
    });
    expect(errorsOf({ ...base, kernel: { path: '/k' } })).toEqual([
      { field: 'kernel', message: 'modules: Invalid input: expected string, received undefined' },
    ]);
    // a kernel the lab built from a preset: by its name, and never together with a path
    expect(validateProfile({ ...base, kernel: { preset: 'hmm' } }).ok).toBe(true);
    expect(errorsOf({ ...base, kernel: { preset: 'Hmm!' } })).toEqual([
      { field: 'kernel.preset', message: 'a preset name: lowercase letters, digits and "-", as in kernel-presets/' },
    ]);
    expect(errorsOf({ ...base, kernel: { preset: 'hmm', path: '/k' } })).toEqual([
      { field: 'kernel', message: 'keys "preset", "path" do not go together: use one of path and modules, preset' },
    ]);
  });

  it('keeps qemu-profiles/profile.schema.json in step with the zod schema (npm run schema)', () => {
    const onDisk = JSON.parse(readFileSync(join(PROFILES, 'profile.schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(profileJsonSchema())));
  });
});
