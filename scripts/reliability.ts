// npm run test:reliability [-- --long]: the bounded suite (as in npm test) or
// the full counts (100 boot/stop cycles, more injected faults).
import { execa } from 'execa';

const long = process.argv.includes('--long');
const r = await execa('npx', ['vitest', 'run', '--config', 'vitest.reliability.config.ts'], {
  stdio: 'inherit',
  reject: false,
  env: { PMEM_LAB_LONG: long ? '1' : '0' },
});
process.exitCode = r.exitCode ?? 1;
