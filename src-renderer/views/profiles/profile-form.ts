// The profile editor's form works on the YAML document itself (as the user
// wrote it: sizes stay "2G", comments and key order survive), so the form and
// the YAML text are two views of one text.
import { parseDocument, type Document } from 'yaml';
import type { ProfileCheck } from '../../../src-shared/api/contract';
import type { FieldError } from '../../../src-shared/validation';

export interface NvdimmRow {
  id: string;
  size: string;
  labels: string;
  node: string;
  backing: string;
}
/**
 * The kernel the guest boots: the host's (kernel absent or "host"), a preset the lab builds, a user's build by path,
 * or a value the form cannot show (left as written, for the schema to name).
 */
export type KernelChoice =
  | { kind: 'host' }
  | { kind: 'preset'; preset: string }
  | { kind: 'path'; path: string; modules: string }
  | { kind: 'other'; text: string };

export interface ProfileFields {
  name: string;
  description: string;
  machine: string;
  cpus: string;
  memorySize: string;
  slots: string;
  maxmem: string;
  accel: string;
  kernelArgs: string;
  kernel: KernelChoice;
  nvdimms: NvdimmRow[];
}

/** A scalar as typed; a mapping or list where a scalar belongs shows as JSON (the schema then names the field). */
function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return String(v);
  return JSON.stringify(v);
}
const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));

function readKernel(v: unknown): KernelChoice {
  if (v === undefined || v === null || v === 'host') return { kind: 'host' };
  if (isMapping(v) && 'preset' in v && onlyKeys(v, ['preset'])) return { kind: 'preset', preset: str(v.preset) };
  if (isMapping(v) && onlyKeys(v, ['path', 'modules']))
    return { kind: 'path', path: str(v.path), modules: str(v.modules) };
  return { kind: 'other', text: str(v) };
}

export function readFields(yaml: string): ProfileFields | { error: string } {
  const doc = parseDocument(yaml);
  if (doc.errors.length) return { error: doc.errors[0]!.message };
  const o: unknown = doc.toJS() ?? {};
  if (!isMapping(o)) return { error: 'a profile is a mapping of settings' };
  const mem = isMapping(o.memory) ? o.memory : {};
  return {
    name: str(o.name),
    description: str(o.description),
    machine: str(o.machine) || 'pc',
    cpus: str(o.cpus),
    memorySize: str(mem.size),
    slots: str(mem.slots),
    maxmem: str(mem.maxmem),
    accel: str(o.accel) || 'auto',
    kernelArgs: Array.isArray(o.kernelArgs) ? o.kernelArgs.join(' ') : '',
    kernel: readKernel(o.kernel),
    nvdimms: (Array.isArray(o.nvdimms) ? (o.nvdimms as unknown[]) : []).map((item) => {
      const d = isMapping(item) ? item : {};
      return {
        id: str(d.id),
        size: str(d.size),
        labels: str(d.labels ?? 'none'),
        node: str(d.node ?? 0),
        backing: str(d.backing ?? 'temporary'),
      };
    }),
  };
}

/** Numbers typed into the form become YAML numbers; everything else stays text for the schema to judge. */
const value = (s: string): string | number => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());

export function writeFields(yaml: string, f: ProfileFields): string {
  const doc = parseDocument(yaml);
  const set = (path: string[], v: string) => (v.trim() === '' ? doc.deleteIn(path) : doc.setIn(path, value(v)));
  set(['name'], f.name);
  set(['description'], f.description);
  set(['machine'], f.machine);
  set(['cpus'], f.cpus);
  set(['memory', 'size'], f.memorySize);
  set(['memory', 'slots'], f.slots);
  set(['memory', 'maxmem'], f.maxmem);
  set(['accel'], f.accel);
  const args = f.kernelArgs.split(/\s+/).filter(Boolean);
  if (args.length) doc.setIn(['kernelArgs'], args);
  else doc.deleteIn(['kernelArgs']);
  writeKernel(doc, f.kernel);
  doc.setIn(
    ['nvdimms'],
    f.nvdimms.map((d) => ({
      id: d.id.trim(),
      size: value(d.size),
      labels: value(d.labels),
      node: value(d.node),
      backing: d.backing,
    })),
  );
  return doc.toString();
}

/** One text per choice, to compare two. */
const kernelKey = (k: KernelChoice): string =>
  JSON.stringify(k.kind === 'preset' ? [k.kind, k.preset] : k.kind === 'path' ? [k.kind, k.path, k.modules] : [k.kind]);

/** Changes the kernel only where the choice differs from the YAML's, in flow style as a profile writes it. */
function writeKernel(doc: Document, k: KernelChoice): void {
  const js: unknown = doc.toJS();
  const was = readKernel(isMapping(js) ? js.kernel : undefined);
  if (k.kind === 'other' || kernelKey(was) === kernelKey(k)) return;
  if (k.kind === 'host')
    doc.delete('kernel'); // the default
  else if (k.kind === 'path' && was.kind === 'path') {
    doc.setIn(['kernel', 'path'], k.path.trim());
    doc.setIn(['kernel', 'modules'], k.modules.trim());
  } else {
    const node = doc.createNode(
      k.kind === 'preset' ? { preset: k.preset } : { path: k.path.trim(), modules: k.modules.trim() },
    );
    node.flow = true;
    doc.set('kernel', node);
  }
}

export function newNvdimm(existing: NvdimmRow[]): NvdimmRow {
  let i = existing.length;
  while (existing.some((d) => d.id === `nvdimm${i}`)) i++;
  return { id: `nvdimm${i}`, size: '1G', labels: '128K', node: '0', backing: 'temporary' };
}

/** An error or a notice of the check, as the form shows it beside its field. */
export interface Problem extends FieldError {
  kind: 'error' | 'notice';
  /** the field's name in the form, when several fields share a row */
  label: string;
}

const FORM_FIELD = new RegExp(
  '^(name|description|machine|cpus|accel|kernelArgs|kernel(\\.(preset|path|modules))?|memory(\\.(size|slots|maxmem))?' +
    '|nvdimms(\\[\\d+\\](\\.(id|size|labels|node|backing))?)?)$',
);

/**
 * The form field a checked field belongs to: itself or the nearest one around it
 * that the form has (kernelArgs[2]: kernelArgs); undefined where the form has none (numa, the YAML itself).
 */
export function formField(field: string): string | undefined {
  for (let f = field; ;) {
    if (FORM_FIELD.test(f)) return f;
    const up = f.replace(/(\.[\w-]+|\[\d+\])$/, '');
    if (up === f) return undefined;
    f = up;
  }
}

/** The check's errors and notices on these form fields (form field -> its label in the row). */
export function problemsAt(check: ProfileCheck | null, fields: Record<string, string>): Problem[] {
  if (!check) return [];
  const all = [
    ...check.errors.map((e) => ({ ...e, kind: 'error' as const })),
    ...(check.notices ?? []).map((n) => ({ ...n, kind: 'notice' as const })),
  ];
  return all.flatMap((p) => {
    const f = formField(p.field);
    return f !== undefined && f in fields ? [{ ...p, label: fields[f]! }] : [];
  });
}

export const hasError = (check: ProfileCheck | null, field: string): boolean =>
  !!check?.errors.some((e) => formField(e.field) === field);

/** The fields of NVDIMM row i, labelled as the row shows them. */
export const nvdimmFields = (i: number): Record<string, string> => ({
  [`nvdimms[${i}]`]: '',
  [`nvdimms[${i}].id`]: 'id',
  [`nvdimms[${i}].size`]: 'size',
  [`nvdimms[${i}].labels`]: 'labels',
  [`nvdimms[${i}].node`]: 'node',
  [`nvdimms[${i}].backing`]: 'backing',
});

/** The kernel field's parts, labelled as the field shows them. */
export const kernelFields: Record<string, string> = {
  kernel: '',
  'kernel.preset': 'preset',
  'kernel.path': 'path',
  'kernel.modules': 'modules',
};
