export { compareSnapshots, diffIomem, diffBlocks, countedIomem, KERNEL_IMAGE_LINES, type Comparison, type Fidelity, type IomemDiffRow, type BlockDiffRow } from './fidelity';
