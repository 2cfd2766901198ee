// What the MCP tools take: a step told what is wrong with it as a scenario's step is, a profile in any form the
// lab reads, validated by the profile's own rules with the field named under the argument.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProfileRefSchema, StepInputSchema } from '../../../src-main/mcp/schemas';
import { profileText, resolveProfile } from '../../../src-main/mcp/profile-ref';

const message = (v: unknown) => {
  const r = StepInputSchema.safeParse(v);
  return r.success ? 'ok' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

describe('the step argument', () => {
  it('takes the vocabulary steps and names the key that is wrong and those allowed', () => {
    expect(message({ run: 'ls' })).toBe('ok');
    expect(message({ qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm' } } })).toBe('ok');
    expect(message({ runn: 'ls' })).toBe(': unknown key "runn"; allowed keys: run, qmp, model, timeout');
    expect(message({ run: 'ls', qmp: { execute: 'x' } })).toMatch(/do not go together: use one of run, qmp, model/);
    expect(message('ls')).toBe(': expected a mapping with one of the keys run, qmp, model');
    expect(message({ run: 'a\nb' })).toBe('run: one command line, without newlines');
  });

  it('is published as a JSON Schema with each form', () => {
    const json = JSON.stringify(z.toJSONSchema(z.object({ step: StepInputSchema })));
    for (const key of ['"run"', '"qmp"', '"model"', '"execute"']) expect(json).toContain(key);
  });
});

describe('the profile argument', () => {
  const bad = { name: 'x', memory: { size: '2G', slots: 4 } };

  it('reads a name, a path, YAML text and the profile itself', async () => {
    expect(ProfileRefSchema.safeParse('dimm-hotplug').success).toBe(true);
    expect(await resolveProfile('dimm-hotplug')).toMatchObject({ ok: true, name: 'dimm-hotplug' });
    const dir = mkdtempSync(join(tmpdir(), 'mcp-profile-'));
    writeFileSync(join(dir, 'mine.yaml'), 'name: mine\nmemory: { size: 1G }\n');
    expect(await resolveProfile(join(dir, 'mine.yaml'))).toMatchObject({ ok: true, name: 'mine' });
    expect(await resolveProfile({ yaml: 'name: y\nmemory: { size: 1G }\n' })).toMatchObject({ ok: true, name: 'y' });
    const inline = await resolveProfile({ name: 'z', memory: { size: '1G' } });
    expect(inline).toMatchObject({ ok: true, name: 'z', profile: { memory: { size: 2 ** 30 } } });
  });

  it("names each error's field under the argument, with its line in YAML text", async () => {
    expect(await resolveProfile(bad)).toEqual({
      ok: false,
      errors: [{ field: 'profile.memory.maxmem', message: 'set both memory.slots and memory.maxmem, or neither' }],
    });
    expect(await resolveProfile({ yaml: 'name: x\nmemory: { size: 2G, slots: 4 }\n' })).toMatchObject({
      ok: false,
      errors: [{ field: 'profile.memory.maxmem', line: 2 }],
    });
    // an object with a yaml key beside others is a profile, whose validation refuses the key
    const mixed = await resolveProfile({ yaml: 'name: y', name: 'y' });
    expect(mixed.ok || mixed.errors).toContainEqual({
      field: 'profile',
      message: expect.stringContaining('unknown key "yaml"'),
    });
    expect(await resolveProfile('no-such-profile')).toMatchObject({
      ok: false,
      errors: [{ field: 'profile', message: expect.stringMatching(/not found; known profiles: .*dimm-hotplug/) }],
    });
    expect(await resolveProfile('/nonexistent/p.yaml')).toMatchObject({
      ok: false,
      errors: [
        {
          field: 'profile',
          message: 'profile file /nonexistent/p.yaml not found (a relative path is read from ' + process.cwd() + ')',
        },
      ],
    });
  });

  it('writes a profile given as an object out as YAML for the validation the editor runs', async () => {
    expect(await profileText(bad)).toEqual({
      text: 'name: x\nmemory:\n  size: 2G\n  slots: 4\n',
      fromObject: true,
    });
    expect((await profileText({ yaml: 'name: q\n' })).fromObject).toBe(false);
  });
});
