// profiles_list, profile_show, profile_validate: the profile gallery and its validation, through the backend's
// profiles.list and profiles.check (the same checks the app's editor runs as the user types).
import { z } from 'zod';
import type { ProfileCheck, ProfileEntry } from '../../../src-shared/api/contract';
import type { FieldError } from '../../../src-shared/validation';
import { FieldErrorSchema, ProfileRefSchema } from '../schemas';
import { profileText } from '../profile-ref';
import { result, ToolError, value } from '../results';
import { READ_ONLY, type ToolContext } from './context';

const ProfileCheckShape = {
  ok: z.boolean(),
  name: z.string().optional(),
  errors: z.array(FieldErrorSchema).describe('each names its field and what is allowed there'),
  notices: z
    .array(FieldErrorSchema)
    .describe('what QEMU and the guest will make of each NVDIMM, from the model: told, not refused'),
  argv: z.array(z.string()).optional().describe('the QEMU command line it boots with (kit paths as placeholders)'),
};

/** A check's answer; a profile written out from an object has no lines or columns the client could use. */
function checked(c: ProfileCheck, fromObject: boolean) {
  const strip = (e: FieldError[]): FieldError[] =>
    fromObject ? e.map(({ field, message }) => ({ field, message })) : e;
  return {
    ok: c.ok,
    ...(c.profile ? { name: c.profile.name } : {}),
    errors: strip(c.errors),
    notices: c.notices ?? [],
    ...(c.argv ? { argv: c.argv } : {}),
  };
}

const checkText = (c: ReturnType<typeof checked>) =>
  c.ok
    ? `${c.name}: valid${c.notices.length ? `\n${c.notices.map((n) => `${n.field}: ${n.message}`).join('\n')}` : ''}`
    : `invalid:\n${c.errors.map((e) => `${e.field}${e.line ? ` (line ${e.line})` : ''}: ${e.message}`).join('\n')}`;

export function registerProfileTools({ server, backend }: ToolContext): void {
  server.registerTool(
    'profiles_list',
    {
      title: 'List profiles',
      description:
        "The profiles a guest boots from: the lab's own (qemu-profiles/) and the user's saved ones, each with its " +
        'description and whether it is valid.',
      inputSchema: {},
      outputSchema: {
        profiles: z.array(
          z.object({
            name: z.string(),
            description: z.string(),
            valid: z.boolean(),
            errors: z.array(FieldErrorSchema).optional(),
          }),
        ),
      },
      annotations: READ_ONLY,
    },
    async () => {
      const entries = value(await backend.call('profiles.list', {})) as ProfileEntry[];
      const profiles = entries.map((p) => ({
        name: p.name,
        description: p.profile?.description ?? '',
        valid: !!p.profile,
        ...(p.errors ? { errors: p.errors } : {}),
      }));
      const text = profiles.map((p) => `${p.name}${p.valid ? '' : ' (invalid)'}: ${p.description}`).join('\n');
      return result({ profiles }, text);
    },
  );

  server.registerTool(
    'profile_show',
    {
      title: 'Show a profile',
      description:
        'A profile by name: its YAML, what QEMU and the guest will make of its NVDIMMs, and its QEMU command line.',
      inputSchema: { name: z.string().min(1).max(64).describe('a name from profiles_list') },
      outputSchema: { yaml: z.string(), ...ProfileCheckShape },
      annotations: READ_ONLY,
    },
    async ({ name }) => {
      if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name))
        throw new ToolError('a profile name: lowercase letters, digits and "-" (see profiles_list)', 'name');
      const { text: yaml } = await profileText(name);
      const c = checked(value(await backend.call('profiles.check', { yaml })) as ProfileCheck, false);
      return result({ yaml, ...c }, `${yaml.trimEnd()}\n---\n${checkText(c)}`);
    },
  );

  server.registerTool(
    'profile_validate',
    {
      title: 'Validate a profile',
      description:
        'Checks a profile as the lab does before every boot: each error names its field and what is allowed ' +
        'there (with its line and column in YAML text). A valid profile gets the notices and QEMU command line.',
      inputSchema: { profile: ProfileRefSchema },
      outputSchema: ProfileCheckShape,
      annotations: READ_ONLY,
    },
    async ({ profile }) => {
      const { text: yaml, fromObject } = await profileText(profile);
      const c = checked(value(await backend.call('profiles.check', { yaml })) as ProfileCheck, fromObject);
      return result(c, checkText(c));
    },
  );
}
