// A guest's (or the model's) memory state as the MCP tools give it: the Snapshot of
// src-shared/snapshot/types.ts as a schema, so a client knows every field it reads. Sizes and addresses are
// bytes.
import { z } from 'zod';
import type { Snapshot } from '../../src-shared/snapshot/types';

const int = z.number().int();

const MemoryBlock = z.object({
  id: int,
  state: z.string().describe('online, offline or going-offline'),
  zones: z.string().describe('valid_zones as the kernel prints it'),
  node: int,
  removable: z.boolean().optional(),
  nrVmemmapPages: int.optional().describe("the model's only: pages of the block's own memmap (memmap_on_memory)"),
});

const CxlDecoder = z.object({
  name: z.string(),
  port: z.string(),
  kind: z.enum(['root', 'switch', 'endpoint']),
  start: z.number(),
  size: z.number(),
  interleaveWays: int,
  interleaveGranularity: int,
  targetList: z.string().optional(),
  region: z.string().optional(),
  mode: z.string().optional(),
  dpaResource: z.number().optional(),
  dpaSize: z.number().optional(),
  nextRegion: z.string().optional(),
});

const CxlRegion = z.object({
  name: z.string(),
  decoder: z.string(),
  resource: z.number(),
  size: z.number(),
  interleaveWays: int,
  interleaveGranularity: int,
  commit: z.boolean(),
  targets: z.array(z.string()),
  enabled: z.boolean(),
});

const CxlMemdev = z.object({
  name: z.string(),
  endpoint: z.string(),
  pci: z.string(),
  rootPort: z.string(),
  pmemSize: z.number(),
  labelStorageSize: z.number(),
  serial: z.number(),
  numaNode: int,
});

export const SnapshotSchema = z.object({
  kernel: z.string(),
  iomem: z.string().describe('/proc/iomem exactly as the kernel printed it'),
  blockSizeBytes: z.number(),
  autoOnlineBlocks: z.string(),
  memoryBlocks: z.array(MemoryBlock),
  nd: z.object({
    regions: z.array(
      z.object({
        name: z.string(),
        size: z.number(),
        align: z.number(),
        available: z.number(),
        numaNode: int,
        targetNode: int,
        devtype: z.string(),
      }),
    ),
    namespaces: z.array(
      z.object({
        name: z.string(),
        region: z.string(),
        mode: z.string().describe('raw, memory (fsdax), dax (devdax) or safe (sector)'),
        size: z.number(),
        uuid: z.string().optional(),
        holder: z.string().optional(),
      }),
    ),
  }),
  dax: z.object({
    devices: z.array(
      z.object({
        name: z.string(),
        size: z.number(),
        targetNode: int,
        driver: z.string(),
        mode: z.enum(['devdax', 'system-ram', 'unbound']),
      }),
    ),
  }),
  numa: z.object({
    nodes: z.array(z.object({ id: int, memTotalKiB: z.number(), cpus: z.string(), blocks: z.array(int) })),
  }),
  virtioMem: z
    .array(
      z.object({
        id: z.string(),
        memaddr: z.number(),
        maxSize: z.number(),
        blockSize: z.number(),
        size: z.number(),
        requestedSize: z.number(),
        node: int,
      }),
    )
    .optional(),
  cxl: z.object({ decoders: z.array(CxlDecoder), regions: z.array(CxlRegion), memdevs: z.array(CxlMemdev) }).optional(),
  log: z.array(z.string()).optional().describe("the kernel's messages since the previous snapshot"),
  problems: z.array(z.string()).optional(),
});

/** A Snapshot as the schema's type: this fails to compile when a field the schema describes changes in the type. */
export const snapshotOut = (s: Snapshot): z.output<typeof SnapshotSchema> => s;
