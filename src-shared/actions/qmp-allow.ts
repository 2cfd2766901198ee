// QMP from users (README "The app", what the page may ask of the host;
// docs/architecture.md "UI and backend"): a scenario file, the page and the CLI
// are untrusted, and QMP reaches the host (`migrate` to `exec:` runs a shell,
// `human-monitor-command` is the whole monitor, a file backend maps any host
// file into the guest). Only the memory vocabulary passes, each command with a
// strict argument schema; everything else is refused, with the reason, before
// QEMU sees it.
import { z } from 'zod';
import { fieldPath } from '../validation';

export interface QmpCommand {
  execute: string;
  arguments?: Record<string, unknown> | undefined;
}

export interface QmpPlace {
  /** the guest's hotplug ceiling (memory.maxmem): no backend larger than it can ever be plugged */
  maxmem?: number | undefined;
  /** the VM's own runtime folder: where file backends are placed; absent when only checking a file */
  runDir?: string | undefined;
}

export type QmpVerdict = { ok: true; command: QmpCommand } | { ok: false; field: string; reason: string };

/** QEMU ids as the lab writes them: no commas, slashes or spaces. */
const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'an id: a letter, then letters, digits, "-" or "_"');
const bytes = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, 'a size in bytes')]);
const node = z.number().int().min(0).max(63);
/**
 * A file name, never a path: the lab places file backends in
 * the VM's runtime folder (as backend-NAME), removed at stop.
 */
const backendFile = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a file name without "/" (the lab places file backends in the guest\'s runtime folder, removed when it stops); ' +
      'leave it out to let the lab name it',
  );
/** A memory device's QOM path: its id, or /machine/peripheral/ID. */
const devicePath = z
  .string()
  .regex(
    /^(\/machine\/peripheral\/)?[A-Za-z][A-Za-z0-9_-]{0,63}$/,
    'a memory device: its id or /machine/peripheral/ID',
  );

const backend = {
  id,
  size: bytes,
  share: z.boolean().optional(),
  merge: z.boolean().optional(),
  dump: z.boolean().optional(),
  prealloc: z.boolean().optional(),
};
const objectAdd = z.discriminatedUnion(
  'qom-type',
  [
    z.strictObject({
      'qom-type': z.literal('memory-backend-ram'),
      ...backend,
      // QEMU 7.2's x-ignore-shared leaves shared anonymous memory out of a checkpoint's stream: a rewind or fork
      // would bring it back empty
      share: z
        .literal(false, {
          error:
            'share: true is not taken for memory-backend-ram: QEMU 7.2 leaves shared anonymous memory out of ' +
            "the lab's checkpoints, so a rewind would bring it back empty; use memory-backend-file with share",
        })
        .optional(),
    }),
    z.strictObject({
      'qom-type': z.literal('memory-backend-file'),
      ...backend,
      'mem-path': backendFile.optional(),
      align: bytes.optional(),
      'discard-data': z.boolean().optional(),
    }),
  ],
  { error: 'only memory backends may be added: qom-type memory-backend-ram or memory-backend-file' },
);
const dimm = {
  id,
  memdev: id,
  node: node.optional(),
  addr: z.number().int().nonnegative().optional(),
  slot: z.number().int().nonnegative().optional(),
};
const deviceAdd = z.discriminatedUnion(
  'driver',
  [
    z.strictObject({ driver: z.literal('pc-dimm'), ...dimm }),
    z.strictObject({
      driver: z.literal('nvdimm'),
      ...dimm,
      'label-size': bytes.optional(),
      unarmed: z.boolean().optional(),
    }),
    z.strictObject({
      driver: z.literal('virtio-mem-pci'),
      id,
      memdev: id,
      node: node.optional(),
      'requested-size': z.union([z.literal(0), bytes]).optional(),
      'block-size': bytes.optional(),
      bus: id.optional(),
      addr: z
        .string()
        .regex(/^(0x)?[0-9a-fA-F]{1,2}(\.[0-7])?$/, 'a PCI slot such as 0x5 or 5.0')
        .optional(),
    }),
  ],
  { error: 'only memory devices may be added: driver pc-dimm, nvdimm or virtio-mem-pci' },
);

const ALLOWED: Record<string, z.ZodType> = {
  'object-add': objectAdd,
  device_add: deviceAdd,
  device_del: z.strictObject({ id }),
  'qom-set': z.strictObject({
    path: devicePath,
    property: z.literal('requested-size'),
    value: z.union([z.literal(0), bytes]),
  }),
  'qom-get': z.strictObject({ path: devicePath, property: z.enum(['size', 'requested-size', 'block-size']) }),
};

/** Prefixes of the commands that open host files, sockets or devices. */
const HOST_OPENING = [
  'blockdev-',
  'drive_',
  'block',
  'nbd-',
  'dump-',
  'screendump',
  'getfd',
  'add-fd',
  'add_client',
  'chardev-',
  'netdev_',
  'set_password',
  'expire_password',
  'xen-',
  'x-',
];

/** Why the commands a hostile file or page would reach for are refused; any other command gets the general reason. */
const REFUSED: [RegExp, string][] = [
  [/^migrate/, 'migration writes to files and runs commands on the host (exec:)'],
  [/^human-monitor-command$/, 'it is the whole human monitor, host commands included'],
  [
    /^(quit|stop|cont|system_reset|system_powerdown|system_wakeup)$/,
    "it controls the guest's life: use Stop in the app or let the scenario end",
  ],
  [/^(qmp_capabilities)$/, 'the lab negotiates QMP itself'],
  [new RegExp(`^(${HOST_OPENING.join('|')})`), 'it opens host files, sockets or devices'],
];

const GENERAL =
  'only the memory vocabulary passes: object-add of a RAM or file memory backend, device_add/device_del of ' +
  "pc-dimm, nvdimm or virtio-mem-pci, qom-set/qom-get of a memory device's sizes, and query-*";

/**
 * Checks a user's QMP command. On success the command to send: a file backend's
 * name becomes a path inside the runtime folder (or is chosen there when left out).
 */
export function checkUserQmp(cmd: QmpCommand, place: QmpPlace = {}): QmpVerdict {
  const name = cmd.execute;
  const args = cmd.arguments ?? {};
  if (/^query-[a-z0-9-]+$/.test(name)) return { ok: true, command: cmd };
  const schema = Object.prototype.hasOwnProperty.call(ALLOWED, name) ? ALLOWED[name] : undefined;
  if (!schema) {
    const why = REFUSED.find(([re]) => re.test(name))?.[1];
    return {
      ok: false,
      field: 'qmp.execute',
      reason: `QMP ${name} is refused: ${why ? `${why}; ${GENERAL}` : GENERAL}`,
    };
  }
  const r = schema.safeParse(args);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const path = [...issue.path, ...(key !== undefined ? [key] : [])];
    const message =
      key !== undefined
        ? `"${key}" is not an argument the lab passes to ` +
          `${name}${name === 'device_add' || name === 'object-add' ? ' for this type' : ''}`
        : issue.message;
    return { ok: false, field: fieldPath(['qmp', 'arguments', ...path]), reason: `QMP ${name} is refused: ${message}` };
  }
  const size = Number(args.size);
  if (name === 'object-add' && place.maxmem !== undefined && size > place.maxmem) {
    return {
      ok: false,
      field: 'qmp.arguments.size',
      reason:
        `QMP object-add is refused: ${size} bytes is more than the guest's memory.maxmem (${place.maxmem}); ` +
        `such a backend could never be plugged`,
    };
  }
  if (name === 'object-add' && args['qom-type'] === 'memory-backend-file' && place.runDir !== undefined) {
    // prefixed, so a user's name can never be one of the lab's own files there (sockets, NVDIMM images, owner)
    const file = typeof args['mem-path'] === 'string' ? args['mem-path'] : String(args.id);
    return {
      ok: true,
      command: { execute: name, arguments: { ...args, 'mem-path': `${place.runDir}/backend-${file}` } },
    };
  }
  return { ok: true, command: cmd };
}
