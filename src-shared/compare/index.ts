export { compareSnapshots, diffIomem, diffBlocks, KERNEL_IMAGE_LINES, ADAPTER_ROM_LINE, type Comparison, type Fidelity, type IomemDiffRow, type BlockDiffRow, type Side } from './fidelity';
