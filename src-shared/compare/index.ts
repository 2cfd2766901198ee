export { compareSnapshots, diffIomem, diffBlocks, KERNEL_IMAGE_LINES, type Comparison, type Fidelity, type IomemDiffRow, type BlockDiffRow, type Side } from './fidelity';
