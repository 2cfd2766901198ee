// npm run build:electron: the Electron shell's two bundles into dist/electron.
import { buildElectron } from '../src-main/electron/bundle';

await buildElectron();
