export { diffIomem, diffBlocks, type Fidelity, type IomemDiffRow, type BlockDiffRow, type Side } from './fidelity';
export { diffItems, outputItems, exitItem, type ItemDiffRow } from './items';
export { diffBuses, diffNodes, type BusDiffRow, type NodeDiffRow, type NodeBase, type DeviceFields } from './devices';
export {
  compare,
  compareSnapshots,
  differences,
  addFidelity,
  noFidelity,
  DIMENSIONS,
  type Answer,
  type Comparison,
  type Dimension,
  type Sides,
  type StepFidelity,
} from './compare';
