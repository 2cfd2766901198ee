// Validates electron-builder.yml offline, with electron-builder's own
// validator and schema, and checks that what it packages is what the build
// scripts produce.
import { readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DebugLogger } from 'builder-util';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';

const ROOT = join(import.meta.dirname, '..');

/** The settings read here; electron-builder's validator checks the whole file against its schema. */
export interface BuilderConfig {
  [key: string]: unknown;
  extraMetadata: { main: string };
  files: string[];
  beforeBuild: string;
  linux: { [key: string]: unknown; icon: string };
  electronFuses?: Record<string, boolean>;
}

export async function readBuilderConfig(): Promise<BuilderConfig> {
  return parse(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** Throws electron-builder's own error (naming the option and the fix) when the configuration is invalid. */
export async function validateBuilderConfig(config: Record<string, unknown>): Promise<void> {
  await validateConfiguration(config, new DebugLogger(false));
}

/**
 * Files the configuration names that must exist before packaging (the
 * icon, the beforeBuild hook) or that the build writes (main, preload).
 */
export async function missingInputs(config: BuilderConfig): Promise<string[]> {
  const missing: string[] = [];
  for (const f of [config.linux.icon, config.beforeBuild])
    if (
      !(await access(join(ROOT, f)).then(
        () => true,
        () => false,
      ))
    )
      missing.push(f);
  for (const f of [config.extraMetadata.main, 'dist/electron/preload.cjs'])
    if (!config.files.includes(f)) missing.push(`files: ${f}`);
  return missing;
}

if (import.meta.filename === process.argv[1]) {
  const config = await readBuilderConfig();
  await validateBuilderConfig(config);
  const missing = await missingInputs(config);
  if (missing.length) throw new Error(`electron-builder.yml refers to missing inputs: ${missing.join(', ')}`);
  console.log('electron-builder.yml is valid');
}
