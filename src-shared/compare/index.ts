export {
  compareSnapshots,
  diffIomem,
  diffBlocks,
  type Comparison,
  type Fidelity,
  type IomemDiffRow,
  type BlockDiffRow,
  type Side,
} from './fidelity';
