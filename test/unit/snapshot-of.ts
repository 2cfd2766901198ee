// A snapshot holding only a /proc/iomem text, for tests of what is shown of it.
import type { Snapshot } from '../../src-shared/snapshot/types';

export const snapshotOf = (iomem: string): Snapshot => ({
  kernel: '6.1',
  iomem,
  blockSizeBytes: 2 ** 27,
  autoOnlineBlocks: 'offline',
  memoryBlocks: [],
  nd: { regions: [], namespaces: [] },
  dax: { devices: [] },
  numa: { nodes: [] },
});
