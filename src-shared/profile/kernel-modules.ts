// What the model knows of the kernel a profile boots, beyond its version: the
// modules outside the lab base that it ships. Debian's kernel and the lab base
// have no CONFIG_TEST_HMM; the `hmm` preset (kernel-presets/hmm.config) builds
// test_hmm as a module (test/unit/profile/kernel-modules.test.ts holds this to
// the fragments). A user's own build is not read: the model takes it as
// shipping none, and says so in docs/model.md.
import type { Profile } from './schema';

const PRESET_MODULES: Readonly<Record<string, readonly string[]>> = { hmm: ['test_hmm'] };

export function optionalModules(kernel: Profile['kernel']): readonly string[] {
  return typeof kernel === 'object' && 'preset' in kernel ? (PRESET_MODULES[kernel.preset] ?? []) : [];
}
