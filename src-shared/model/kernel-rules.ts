// The kernel versions the model can play (`--kernel-rules`, the UI's what-if),
// as data: each rule set names the capabilities that differ between versions,
// and the model asks for a capability, never for a version. Adding a version is
// one entry in KERNEL_RULES. docs/model.md "Kernel-version what-if" describes them.

export interface KernelRuleSet {
  /** the version, as `--kernel-rules` and the contract take it */
  readonly id: string;
  /** how the UI names the rule set */
  readonly label: string;
  /**
   * Hotplugged memory is requested at the top level only, so System RAM cannot
   * go inside "Persistent Memory" (before 5.1: mm/memory_hotplug.c
   * register_memory_resource used request_resource on iomem_resource).
   * The model applies it to kmem, where it decides the outcome.
   */
  readonly hotplugTopLevelOnly: boolean;
  /**
   * kmem requests the dax range and clears BUSY on it, so its System RAM nests
   * under daxR.N (since 5.1: drivers/dax/kmem.c dev_dax_kmem_probe).
   */
  readonly kmemNestsUnderDax: boolean;
  /** The name of kmem's memory: "System RAM (kmem)" since 5.8 (add_memory_driver_managed), "System RAM" before. */
  readonly kmemResourceName: 'System RAM (kmem)' | 'System RAM';
  /**
   * kmem's remove takes the memory away when every block is offline (since
   * 5.3: drivers/dax/kmem.c dev_dax_kmem_remove); before, it stays until reboot.
   */
  readonly kmemHotRemove: boolean;
  /**
   * ZONE_DEVICE mappings activate 2 MiB sub-sections, so several of them and
   * System RAM may share a 128 MiB section (since 5.3: mm/sparse.c).
   */
  readonly subsections: boolean;
}

type Capabilities = Omit<KernelRuleSet, 'id'>;

/** Newest first; the first is the reference guest's kernel. */
const TABLE = {
  '6.1': {
    label: "6.1 (the guest's)",
    hotplugTopLevelOnly: false,
    kmemNestsUnderDax: true,
    kmemResourceName: 'System RAM (kmem)',
    kmemHotRemove: true,
    subsections: true,
  },
  '5.3': {
    label: '5.3: sub-sections',
    hotplugTopLevelOnly: false,
    kmemNestsUnderDax: true,
    kmemResourceName: 'System RAM',
    kmemHotRemove: true,
    subsections: true,
  },
  '5.1': {
    label: '5.1: kmem merged',
    hotplugTopLevelOnly: false,
    kmemNestsUnderDax: true,
    kmemResourceName: 'System RAM',
    kmemHotRemove: false,
    subsections: false,
  },
  '5.0': {
    label: '5.0: before kmem',
    hotplugTopLevelOnly: true,
    kmemNestsUnderDax: false,
    kmemResourceName: 'System RAM',
    kmemHotRemove: false,
    subsections: false,
  },
} as const satisfies Record<string, Capabilities>;

export type KernelRules = keyof typeof TABLE;

export const KERNEL_RULES: { readonly [K in KernelRules]: KernelRuleSet & { readonly id: K } } = Object.fromEntries(
  Object.entries(TABLE).map(([id, caps]) => [id, { id, ...caps }]),
) as never;

/** Every rule set's id, newest first (a non-empty tuple, as zod's enum wants it). */
export const KERNEL_RULE_IDS = Object.keys(TABLE) as [KernelRules, ...KernelRules[]];

/** The reference guest's kernel: what the model plays unless told otherwise. */
export const DEFAULT_KERNEL_RULES: KernelRules = '6.1';
