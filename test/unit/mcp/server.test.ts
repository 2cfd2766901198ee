// The MCP server in process, through the SDK's own client over a linked in-memory transport, without a guest:
// every tool published with its input and output schemas (the client checks each structured result against its
// tool's output schema), refusals named by field before anything boots, the model alone, the resources.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LabBackend } from '../../../src-main/backend/lab-backend';
import { createLabMcpServer, type LabMcpServer } from '../../../src-main/mcp/server';

const TOOLS = [
  'profiles_list',
  'profile_show',
  'profile_validate',
  'boot',
  'status',
  'stop',
  'step',
  'snapshot',
  'predict',
  'compare',
  'explain',
  'kernel_log',
  'run_scenario',
  'export_report',
];

let lab: LabMcpServer;
let client: Client;
beforeAll(async () => {
  process.env.PMEM_LAB_CONFIG = mkdtempSync(join(tmpdir(), 'pmem-lab-mcp-config-'));
  lab = createLabMcpServer(new LabBackend({ mode: 'mcp' }), '0.0.0-test');
  const [a, b] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'unit', version: '1' });
  await Promise.all([lab.server.connect(a), client.connect(b)]);
});
afterAll(async () => {
  await client.close();
  await lab.close();
});

const call = async (name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe('pmem-lab mcp, without a guest', () => {
  it('publishes every tool with an input and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(t.description!.length, t.name).toBeGreaterThan(40);
    }
  });

  it('validates a profile as the editor does, naming the field, the line and the fix', async () => {
    const r = await call('profile_validate', { profile: { yaml: 'name: x\nmemory: { size: 2G, slots: 4 }\n' } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      ok: false,
      errors: [{ field: 'memory.maxmem', message: 'set both memory.slots and memory.maxmem, or neither', line: 2 }],
    });
    const good = await call('profile_validate', { profile: 'nvdimm-1g-labels' });
    expect(good.structuredContent).toMatchObject({ ok: true, name: 'nvdimm-1g-labels' });
    expect((good.structuredContent as { notices: { field: string }[] }).notices[0]!.field).toBe('nvdimms[0].size');
    expect((good.structuredContent as { argv: string[] }).argv).toContain('-machine');
  });

  it('refuses a bad profile, step or session before anything boots, naming the field', async () => {
    const bad = await call('boot', { profile: { name: 'x', memory: { size: '2G', slots: 4 } } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toBe('profile.memory.maxmem: set both memory.slots and memory.maxmem, or neither');
    // a kernel outside the folders the lab boots kernels from: refused as vm.boot refuses it
    const kernel = { path: '/etc/passwd', modules: '/etc' };
    const outside = await call('boot', { profile: { name: 'k', memory: { size: '1G' }, kernel } });
    expect(text(outside)).toMatch(/^kernel\.path: /);
    expect((await call('status', {})).structuredContent).toEqual({ sessions: [] });
    const migrate = await call('predict', {
      profile: 'dimm-hotplug',
      steps: [{ qmp: { execute: 'migrate', arguments: { uri: 'exec:true' } } }],
    });
    expect(migrate.isError).toBe(true);
    expect(text(migrate)).toMatch(/^steps\[0\]\.qmp\.execute: QMP migrate is refused: /);
    const typo = await call('step', { session: '0123abcd', step: { runn: 'ls' } });
    expect(text(typo)).toMatch(/unknown key "runn"; allowed keys: run, qmp, model, timeout at step/);
    const gone = await call('compare', { session: '0123abcd' });
    expect(text(gone)).toMatch(/^session: no session 0123abcd/);
    expect(text(await call('explain', { line: 'x' }))).toMatch(/^session: give session .* or profile/);
    const where = await call('export_report', { session: '0123abcd', path: 'report.html' });
    expect(text(where)).toMatch(/^path: "report.html" is relative/);
  });

  it("predicts with the model alone, and explains a line and a refusal by the model's rules", async () => {
    const steps = [{ run: 'ndctl create-namespace -f -e namespace0.0 -m devdax' }];
    const p = await call('predict', { profile: 'nvdimm-1g-labels', steps });
    expect(p.structuredContent).toMatchObject({
      profile: 'nvdimm-1g-labels',
      rules: '6.1',
      steps: [{ n: 0 }, { n: 1, exitCode: 0 }],
    });
    expect((p.structuredContent as { iomem: string }).iomem).toContain('  101200000-13fffffff : dax0.0\n');
    const line = await call('explain', { profile: 'nvdimm-1g-labels', steps, line: '101200000-13fffffff : dax0.0' });
    expect(line.structuredContent).toMatchObject({
      n: 1,
      line: { found: true, explanation: { source: expect.stringMatching(/drivers\/dax/) } },
    });
    const refusal = await call('explain', {
      profile: 'nvdimm-1g-labels',
      steps: [{ run: 'ndctl create-namespace -r region0 -m devdax -s 256M -a 1G' }],
    });
    expect(text(refusal)).toMatch(/^model exit [1-9]\d*: .*\(ndctl\/namespace\.c/);
  });

  it('serves the profiles, their schema, the scenarios and the model rules as resources', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    for (const u of [
      'pmem-lab://profiles/dimm-hotplug',
      'pmem-lab://scenarios/kmem-labels',
      'pmem-lab://docs/model.md',
      'pmem-lab://schema/profile.json',
    ])
      expect(uris).toContain(u);
    const read = async (uri: string) => ((await client.readResource({ uri })).contents[0] as { text: string }).text;
    expect(await read('pmem-lab://profiles/dimm-hotplug')).toMatch(/^# yaml-language-server.*\nname: dimm-hotplug\n/);
    expect(await read('pmem-lab://scenarios/kmem-labels')).toMatch(/^name: kmem-labels\n/);
    expect(await read('pmem-lab://docs/model.md')).toMatch(/^# The kernel model\n/);
    expect(JSON.parse(await read('pmem-lab://schema/profile.json'))).toHaveProperty('properties');
    await expect(read('pmem-lab://profiles/..%2F..%2Fetc%2Fpasswd')).rejects.toThrow(/not a profile name/);
  });
});
