// pmem-lab mcp's server: the MCP tools and resources over one LabBackend, the same object the app and browser
// mode drive, so the same validation, QMP allow-list, guest cap and ledger stand behind every tool.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { LabBackend } from '../backend/lab-backend';
import { registerResources } from './resources';
import { SessionWatch } from './session-watch';
import type { ToolContext } from './tools/context';
import { registerModelTools } from './tools/model';
import { registerProfileTools } from './tools/profiles';
import { registerRunTools } from './tools/runs';
import { registerSessionTools } from './tools/sessions';

const INSTRUCTIONS =
  'PMEM Lab boots QEMU guests with emulated NVDIMMs, memory hotplug, virtio-mem and CXL from declarative ' +
  "profiles, runs steps on the guest and on a model of the Linux kernel's memory code in lockstep, and compares " +
  'them dimension by dimension (iomem, blocks, exit, output, buses, nodes, log). Start with profiles_list or the ' +
  'profiles resource; boot returns a session id; step runs a console line or a QMP command of the memory ' +
  'vocabulary and answers with the comparison; explain gives the rule and kernel source behind a model line; ' +
  'stop every guest you boot (all stop when the connection closes).';

export interface LabMcpServer {
  server: McpServer;
  watch: SessionWatch;
  /** no boots from now on: the client has gone and its guests are being stopped */
  close(): Promise<void>;
}

export function createLabMcpServer(backend: LabBackend, version: string): LabMcpServer {
  const server = new McpServer({ name: 'pmem-lab', version }, { instructions: INSTRUCTIONS });
  const watch = new SessionWatch(backend);
  let closing = false;
  const ctx: ToolContext = { server, backend, watch, closing: () => closing };
  registerProfileTools(ctx);
  registerSessionTools(ctx);
  registerModelTools(ctx);
  registerRunTools(ctx);
  registerResources(server);
  return {
    server,
    watch,
    close: async () => {
      closing = true;
      watch.close();
      await server.close();
    },
  };
}
