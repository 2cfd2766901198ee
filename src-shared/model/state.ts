// The model's whole state: what the kernel and QEMU hold for one guest.
import type { Platform } from './platform';
import type { Resource } from './resource';
import type { MemoryBlocks } from './memory-blocks';
import type { Namespace, Region } from './libnvdimm';

export type KernelRules = '6.1' | '5.3' | '5.1' | '5.0';

export interface DaxDevice {
  name: string;
  ns: Namespace;
  start: number;
  end: number;
  targetNode: number;
  driver: '' | 'device_dax' | 'kmem';
  /** device_dax's busy claim on the range */
  resource?: Resource;
  /** what kmem added: the aligned dax resource (BUSY cleared) and System RAM (kmem) under it */
  kmem?: { res: Resource; ram: Resource; blocks: number[] };
  /** kmem's dynamic ids (new_id) */
  kmemId: boolean;
}

export interface Dimm {
  id: string;
  start: number;
  size: number;
  node: number;
  memdev: string;
  ram?: Resource;
  blocks: number[];
}

export interface ModelState {
  rules: KernelRules;
  platform: Platform;
  root: Resource;
  blocks: MemoryBlocks;
  regions: Region[];
  dax: Map<string, DaxDevice>;
  backends: Map<string, number>;
  dimms: Map<string, Dimm>;
  uuidCounter: number;
  /** model-only media errors, by namespace name: absolute start and length */
  badblocks: Map<string, { start: number; length: number }[]>;
}

export interface StepResult {
  output: string;
  exitCode: number;
  /** the rules that decided this step's outcome */
  explanations: { rule: string; source: string }[];
}
