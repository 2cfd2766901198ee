import { appRoot } from '../util/app-root';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatErrors } from '../../src-shared/profile/validate';
import { parseScenarioYaml, type Scenario } from '../../src-shared/scenario/schema';
import type { Profile } from '../../src-shared/profile/schema';
import { checkUserQmp } from '../../src-shared/actions/qmp-allow';
import { loadProfile } from './profiles';

export const SCENARIOS_DIR = join(appRoot(), 'scenarios');

export class ScenarioError extends Error {}

/**
 * A scenario by path (relative to `baseDir`), or by name from scenarios/; its
 * profile resolved relative to the scenario file.
 */
export async function loadScenario(
  ref: string,
  baseDir = process.cwd(),
): Promise<{ scenario: Scenario; profile: Profile; path: string }> {
  const isPath = ref.includes('/') || /\.ya?ml$/.test(ref);
  const path = isPath ? resolve(baseDir, ref) : join(SCENARIOS_DIR, `${ref}.yaml`);
  const text = await readFile(path, 'utf8').catch(async () => {
    throw new ScenarioError(
      isPath
        ? `scenario file ${path} not found`
        : `scenario "${ref}" not found; known scenarios: ${(await listScenarios()).join(', ')} (or give a path to ` +
            `a scenario file)`,
    );
  });
  const r = parseScenarioYaml(text);
  if (!r.ok) throw new ScenarioError(`${path} is invalid:\n${formatErrors(r.errors)}`);
  const profile = await loadProfile(r.value.profile, dirname(path));
  // A downloaded scenario is untrusted: QMP outside the memory vocabulary is refused before anything boots.
  for (const [i, step] of r.value.steps.entries()) {
    const v = 'qmp' in step ? checkUserQmp(step.qmp, { maxmem: profile.memory.maxmem }) : undefined;
    if (v && !v.ok) throw new ScenarioError(`${path} is refused:\nsteps[${i}].${v.field}: ${v.reason}`);
  }
  return { scenario: r.value, profile, path };
}

export async function listScenarios(): Promise<string[]> {
  return (await readdir(SCENARIOS_DIR).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -5))
    .sort();
}
