// What every tool group is registered with: the MCP server, the one backend behind it, and the watch on its
// sessions' states.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { LabBackend } from '../../backend/lab-backend';
import type { SessionWatch } from '../session-watch';

export interface ToolContext {
  server: McpServer;
  backend: LabBackend;
  watch: SessionWatch;
  /** the client has gone: boot nothing more */
  closing(): boolean;
}

/** Reads the lab's state or runs the model alone: no guest, no file changes. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
/** Changes a guest (or starts or stops one); nothing outside the lab. */
export const GUEST: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: false };
