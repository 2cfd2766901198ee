// The action vocabulary (docs/architecture.md "One step, end to end"): what a
// console line or a QMP command means, typed, so the same action drives the
// model.

export type Action =
  | {
      kind: 'create-namespace';
      region?: string;
      reconfig?: string;
      mode?: 'raw' | 'fsdax' | 'devdax';
      size?: number;
      /** the unit -s was written in (ndctl words its size hints in it) */
      sizeUnit?: 'K' | 'M' | 'G' | 'T';
      align?: number;
      force: boolean;
      map?: 'dev' | 'mem';
    }
  | { kind: 'destroy-namespace'; target: string; force: boolean }
  | { kind: 'namespace-enable'; target: string; enable: boolean }
  | { kind: 'region-enable'; target: string; enable: boolean }
  | { kind: 'init-labels'; target: string; force: boolean }
  | { kind: 'clear-errors'; target: string }
  | {
      kind: 'reconfigure-device';
      device: string;
      mode: 'system-ram' | 'devdax';
      online: boolean;
      movable: boolean;
      force: boolean;
    }
  | { kind: 'online-memory'; device: string; movable: boolean }
  | { kind: 'offline-memory'; device: string }
  | {
      kind: 'dax-driver';
      driver: 'device_dax' | 'kmem';
      op: 'bind' | 'unbind' | 'new_id' | 'remove_id';
      device: string;
    }
  | { kind: 'block-state'; block: number; state: 'online' | 'online_kernel' | 'online_movable' | 'offline' }
  | { kind: 'auto-online'; value: 'offline' | 'online' | 'online_kernel' | 'online_movable' }
  | { kind: 'region-align'; region: string; align: number }
  /** busybox modprobe (-r) or rmmod of a module whose loading the model follows (modules.ts) */
  | { kind: 'module'; tool: 'modprobe' | 'rmmod'; op: 'load' | 'unload'; name: string }
  /** a line that only reads (actions/read-only.ts): a no-op for the kernel; each command of its pipeline as words */
  | { kind: 'read-only'; commands: string[][] }
  /** cxl create-region (cxl/region.c): targets are the memdevs named on the line, the rest as written */
  | {
      kind: 'cxl-create-region';
      decoder?: string;
      type?: string;
      size?: string;
      ways?: number;
      granularity?: number;
      memdevsFlag: boolean;
      targets: string[];
    }
  | { kind: 'cxl-region'; op: 'enable' | 'disable' | 'destroy'; decoder?: string; force: boolean; regions: string[] }
  | { kind: 'object-add'; id: string; qomType: string; size: number }
  | { kind: 'device-add'; driver: 'pc-dimm'; id: string; memdev: string; node?: number; addr?: number }
  | { kind: 'device-del'; id: string }
  | { kind: 'virtio-mem-resize'; path: string; size: number }
  /** model-only: a driver registers device-private memory (HMM), as test_hmm or a GPU driver would */
  | { kind: 'device-private'; name: string; size: number }
  /** model-only: a driver hot-adds System RAM at a given range (add_memory), e.g. over a device-private range */
  | { kind: 'add-memory'; start: number; size: number; node: number }
  /** model-only: media errors in a namespace (QEMU cannot inject NVDIMM poison) */
  | { kind: 'inject-badblocks'; namespace: string; offset: number; length: number };

export type ParsedAction = { kind: 'action'; action: Action } | { kind: 'unknown'; reason: string };
