// The kernel builder's public surface: the lab's own guest kernels, built
// from presets in kernel-presets/ (README "Kernels the lab builds").
export type { BuildProgress, BuiltKernel, PresetInfo } from './types';
export type { BuildOptions } from './build';
export { buildPresetKernel } from './build';
export { findBuiltKernel, listPresets } from './cache';
