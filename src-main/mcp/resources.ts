// The MCP resources: the profiles (the lab's and the user's, as the gallery lists them), their JSON Schema, the
// scenarios, and the model's rules (docs/model.md). Names come from the lab's own lists and must look like names,
// so a URI cannot reach a file outside those folders.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { appRoot } from '../util/app-root';
import { listProfiles, PROFILES_DIR, readProfileText } from '../store/profiles';
import { listScenarios, SCENARIOS_DIR } from '../store/scenarios';
import { ToolError } from './results';

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const YAML = 'application/yaml';

function nameOf(v: string | string[] | undefined, kind: string): string {
  const name = Array.isArray(v) ? v[0] : v;
  if (!name || !NAME.test(name)) throw new ToolError(`not a ${kind} name: lowercase letters, digits and "-"`, 'uri');
  return name;
}

const text = (uri: URL, body: string, mimeType: string) => ({ contents: [{ uri: uri.href, mimeType, text: body }] });

/** The completions of a partial name. */
const completer = (list: () => Promise<string[]>) => async (prefix: string) =>
  (await list()).filter((n) => n.startsWith(prefix));

/** `pmem-lab://KIND/{name}`: one YAML resource per name `list` gives, with completion of the name. */
const yamlTemplate = (kind: string, list: () => Promise<string[]>) =>
  new ResourceTemplate(`pmem-lab://${kind}/{name}`, {
    list: async () => ({
      resources: (await list()).map((name) => ({ uri: `pmem-lab://${kind}/${name}`, name, mimeType: YAML })),
    }),
    complete: { name: completer(list) },
  });

export function registerResources(server: McpServer): void {
  server.registerResource(
    'profiles',
    yamlTemplate('profiles', listProfiles),
    {
      title: 'Profiles',
      description: `A guest profile as YAML (${PROFILES_DIR}, or the user's saved copy of that name if any)`,
      mimeType: YAML,
    },
    async (uri, { name }) => text(uri, (await readProfileText(nameOf(name, 'profile'))).text, YAML),
  );

  server.registerResource(
    'profile-schema',
    'pmem-lab://schema/profile.json',
    {
      title: 'Profile JSON Schema',
      description: 'The JSON Schema of a profile: every field, its type and its default',
      mimeType: 'application/schema+json',
    },
    async (uri) =>
      text(uri, await readFile(join(PROFILES_DIR, 'profile.schema.json'), 'utf8'), 'application/schema+json'),
  );

  server.registerResource(
    'scenarios',
    yamlTemplate('scenarios', listScenarios),
    { title: 'Scenarios', description: `A scenario: a profile and its steps (${SCENARIOS_DIR})`, mimeType: YAML },
    async (uri, { name }) => {
      const file = join(SCENARIOS_DIR, `${nameOf(name, 'scenario')}.yaml`);
      const body = await readFile(file, 'utf8').catch(async () => {
        throw new ToolError(`no scenario "${String(name)}"; known: ${(await listScenarios()).join(', ')}`, 'uri');
      });
      return text(uri, body, YAML);
    },
  );

  server.registerResource(
    'model-rules',
    'pmem-lab://docs/model.md',
    {
      title: "The model's rules",
      description:
        'docs/model.md: what the kernel model predicts and why, rule by rule with the kernel sources, what it ' +
        'does not model yet, and what the real guests and the fuzzer corrected',
      mimeType: 'text/markdown',
    },
    async (uri) => text(uri, await readFile(join(appRoot(), 'docs', 'model.md'), 'utf8'), 'text/markdown'),
  );
}
