import { describe, expect, it } from 'vitest';
import { parseProfileYaml } from '../../../src-shared/profile/validate';
import {
  formField,
  newNvdimm,
  nvdimmFields,
  problemsAt,
  readFields,
  writeFields,
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
    f.nvdimms.push(newNvdimm(f.nvdimms));
    f.kernelArgs = 'memmap=512M!1G';
    const out = writeFields(YAML, f);
    expect(out).toContain('# a comment that must survive');
    const p = parseProfileYaml(out);
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    expect(p.value.cpus).toBe(4);
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
