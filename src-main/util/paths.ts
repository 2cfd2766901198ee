// Where PMEM Lab keeps things on the host (XDG base directories).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string {
  return process.env.PMEM_LAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pmem-lab');
}

export function dataDir(): string {
  return process.env.PMEM_LAB_DATA ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'pmem-lab');
}

/** Short, because unix socket paths are limited to 108 bytes. */
export function runtimeRoot(): string {
  return process.env.PMEM_LAB_RUN ?? join(process.env.XDG_RUNTIME_DIR ?? '/tmp', 'pmem-lab');
}

export function configDir(): string {
  return process.env.PMEM_LAB_CONFIG ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'pmem-lab');
}
