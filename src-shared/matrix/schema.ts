// Matrix files (README "Scenario matrices"): the profiles, scenarios and
// kernels `pmem-lab matrix` crosses. Each scenario runs on each profile listed
// (in place of the profile it names) and on each kernel; without `profiles`,
// each scenario runs on its own profile, and without `kernels` on the kernel
// its profile says.
import { z } from 'zod';
import { parseYamlWith, type Validated } from '../validation';

const NAME_RULE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const NAME_HINT = 'use lowercase letters, digits and "-"';
const name = (what: string) => z.string({ error: `${what}: ${NAME_HINT}` }).regex(NAME_RULE, NAME_HINT);

const KERNEL_FORMS = 'host, { preset: NAME } (a kernel pmem-lab kernel build made) or { name, path, modules } (yours)';

export const MatrixKernelSchema = z.union(
  [
    z.literal('host').describe("the host's kernel, whatever the profile names"),
    z.strictObject({
      preset: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a preset name: lowercase letters, digits and "-", as in kernel-presets/'),
      /** the kernel's label in the grid (default: the preset's name) */
      name: name("the kernel's label in the grid").optional(),
    }),
    z.strictObject({
      name: name("your kernel's label in the grid"),
      path: z.string().min(1).describe('a bzImage or vmlinux from your kernel build (relative to the matrix file)'),
      modules: z.string().min(1).describe('its lib/modules/VERSION folder (relative to the matrix file)'),
    }),
  ],
  { error: `a kernel is one of ${KERNEL_FORMS}` },
);

const list = (what: string) => ({ error: `a list of ${what}` });

export const MatrixSchema = z.strictObject({
  name: name("the matrix's name"),
  description: z.string().default(''),
  /** names in qemu-profiles/ or paths (relative to the matrix file); absent: each scenario's own profile */
  profiles: z
    .array(z.string().min(1), list('profiles: names in qemu-profiles/ or paths'))
    .min(1, 'at least one profile (or leave profiles out: each scenario on its own)')
    .optional(),
  scenarios: z
    .array(z.string().min(1), list('scenarios: names in scenarios/ or paths'))
    .min(1, 'at least one scenario'),
  /** absent: the kernel each profile names (the host's by default) */
  kernels: z
    .array(MatrixKernelSchema, list(`kernels, each ${KERNEL_FORMS}`))
    .min(1, "at least one kernel (or leave kernels out: each profile's own)")
    .optional(),
});

export type Matrix = z.output<typeof MatrixSchema>;
export type MatrixKernel = Matrix['kernels'] extends (infer K)[] | undefined ? K : never;

export const parseMatrixYaml = (text: string): Validated<Matrix> => parseYamlWith(MatrixSchema, text);

/** A kernel's label in the grid and in cell ids. */
export const kernelLabel = (k: MatrixKernel): string =>
  k === 'host' ? 'host' : (k.name ?? ('preset' in k ? k.preset : ''));
