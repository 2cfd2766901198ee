import { describe, expect, it } from 'vitest';
import { parseProfileYaml } from '../../../src-shared/profile/validate';
import {
  formField,
  kernelFields,
  newNvdimm,
  nvdimmFields,
  problemsAt,
  readFields,
  writeFields,
  type KernelChoice,
} from '../../../src-renderer/views/profiles/profile-form';

const YAML = `# a comment that must survive
name: lab
cpus: 2
memory: { size: 2G, slots: 4, maxmem: 8G }
nvdimms:
  - { id: nvdimm0, size: 1G, labels: 128K, node: 0, backing: temporary }
`;

describe('profile editor form', () => {
  it('reads the fields as written', () => {
    const f = readFields(YAML);
    if ('error' in f) throw new Error(f.error);
    expect(f).toMatchObject({
      name: 'lab',
      machine: 'pc',
      cpus: '2',
      memorySize: '2G',
      slots: '4',
      maxmem: '8G',
      accel: 'auto',
      nvdimms: [{ id: 'nvdimm0', size: '1G', labels: '128K', node: '0' }],
    });
  });

  it('writes edits back into the same YAML, keeping comments, and the result validates', () => {
    const f = readFields(YAML);
    if ('error' in f) throw new Error(f.error);
    f.cpus = '4';
    f.machine = 'q35';
    f.nvdimms.push(newNvdimm(f.nvdimms));
    f.kernelArgs = 'memmap=512M!1G';
    const out = writeFields(YAML, f);
    expect(out).toContain('# a comment that must survive');
    const p = parseProfileYaml(out);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    expect(p.value.cpus).toBe(4);
    expect(p.value.machine).toBe('q35');
    expect(p.value.nvdimms.map((d) => d.id)).toEqual(['nvdimm0', 'nvdimm1']);
    expect(p.value.kernelArgs).toEqual(['memmap=512M!1G']);
  });

  it('leaves a wrong value for the schema to name', () => {
    const f = readFields(YAML);
    if ('error' in f) throw new Error(f.error);
    f.memorySize = 'lots';
    const p = parseProfileYaml(writeFields(YAML, f));
    expect(p).toMatchObject({ ok: false, errors: [{ field: 'memory.size' }] });
  });

  it('reports YAML syntax errors instead of fields', () => {
    expect(readFields('name: [unclosed')).toHaveProperty('error');
  });

  it('puts each error and notice on the form field it belongs to, or leaves it to the list', () => {
    expect(formField('nvdimms[0].size')).toBe('nvdimms[0].size');
    expect(formField('kernelArgs[2]')).toBe('kernelArgs');
    expect(formField('memory')).toBe('memory');
    expect(formField('numa[1].node')).toBeUndefined();
    expect(formField('(yaml)')).toBeUndefined();
    const check = {
      ok: false,
      errors: [
        { field: 'nvdimms[0].size', message: 'bad size', line: 6 },
        { field: 'nvdimms[1]', message: 'unknown key' },
        { field: 'numa', message: 'no field for it' },
      ],
      notices: [{ field: 'nvdimms[0].size', message: 'told' }],
    };
    expect(problemsAt(check, nvdimmFields(0))).toEqual([
      { field: 'nvdimms[0].size', message: 'bad size', line: 6, kind: 'error', label: 'size' },
      { field: 'nvdimms[0].size', message: 'told', kind: 'notice', label: 'size' },
    ]);
    expect(problemsAt(check, nvdimmFields(1))).toEqual([
      { field: 'nvdimms[1]', message: 'unknown key', kind: 'error', label: '' },
    ]);
    expect(problemsAt(null, nvdimmFields(0))).toEqual([]);
  });
});

describe("profile editor form: the guest's kernel", () => {
  const fields = (yaml: string) => {
    const f = readFields(yaml);
    if ('error' in f) throw new Error(f.error);
    return f;
  };
  const withKernel = (yaml: string, kernel: KernelChoice) => writeFields(yaml, { ...fields(yaml), kernel });

  it('reads the host kernel, a preset, a build by path, and anything else as the YAML has it', () => {
    expect(fields(YAML).kernel).toEqual({ kind: 'host' });
    expect(fields(`${YAML}kernel: host\n`).kernel).toEqual({ kind: 'host' });
    expect(fields(`${YAML}kernel: { preset: hmm }\n`).kernel).toEqual({ kind: 'preset', preset: 'hmm' });
    expect(fields(`${YAML}kernel:\n  path: /boot/vmlinuz-x\n  modules: /lib/modules/x\n`).kernel).toEqual({
      kind: 'path',
      path: '/boot/vmlinuz-x',
      modules: '/lib/modules/x',
    });
    expect(fields(`${YAML}kernel: { preset: hmm, path: /x }\n`).kernel).toEqual({
      kind: 'other',
      text: '{"preset":"hmm","path":"/x"}',
    });
  });

  /** The YAML's kernel lines: the key and what follows it, indented. */
  const kernelLines = (yaml: string) => /^kernel:.*(\n .*)*/m.exec(yaml)?.[0];

  it('writes a preset as the shipped profiles do, keeping comments, and it validates', () => {
    const out = withKernel(YAML, { kind: 'preset', preset: 'hmm' });
    expect(kernelLines(out)).toBe('kernel: { preset: hmm }');
    expect(out).toContain('# a comment that must survive');
    const p = parseProfileYaml(out);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    expect(p.value.kernel).toEqual({ preset: 'hmm' });
    // another preset in place, then the host's kernel: the default, so the key goes
    const debug = withKernel(out, { kind: 'preset', preset: 'debug' });
    expect(kernelLines(debug)).toBe('kernel: { preset: debug }');
    expect(kernelLines(withKernel(debug, { kind: 'host' }))).toBeUndefined();
  });

  it('leaves the kernel as written when another field changes', () => {
    for (const kernel of [
      'kernel: host # explicit',
      'kernel:\n  preset: hmm # block style',
      'kernel: { path: /boot/vmlinuz-x, modules: /lib/modules/x }',
      'kernel: { preset: hmm, path: /x }',
    ]) {
      const yaml = `${YAML}${kernel}\n`;
      const f = fields(yaml);
      f.cpus = '3';
      const out = writeFields(yaml, f);
      expect(out).toContain('cpus: 3');
      expect(kernelLines(out)).toBe(kernel);
    }
  });

  it('edits a build by path in place, and starts one empty for the schema to ask for', () => {
    const yaml = `${YAML}kernel: { path: /boot/vmlinuz-x, modules: /lib/modules/x } # mine\n`;
    const edited = withKernel(yaml, { kind: 'path', path: '/boot/vmlinuz-y ', modules: '/lib/modules/x' });
    expect(kernelLines(edited)).toBe('kernel: { path: /boot/vmlinuz-y, modules: /lib/modules/x } # mine');
    const empty = withKernel(YAML, { kind: 'path', path: '', modules: '' });
    expect(kernelLines(empty)).toBe('kernel: { path: "", modules: "" }');
    expect(parseProfileYaml(empty)).toMatchObject({
      ok: false,
      errors: [{ field: 'kernel.path' }, { field: 'kernel.modules' }],
    });
  });

  it("puts the kernel's errors beside the kernel field", () => {
    expect(formField('kernel.preset')).toBe('kernel.preset');
    const check = {
      ok: false,
      errors: [{ field: 'kernel', message: 'needs one of the keys path and modules, preset' }],
    };
    expect(problemsAt(check, kernelFields)).toEqual([
      { field: 'kernel', message: 'needs one of the keys path and modules, preset', kind: 'error', label: '' },
    ]);
  });
});
