// Tool results: structured content with a line of text beside it, and errors that name the field and say why
// (a tool error, isError, which the client shows to the model rather than failing the request).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiError, Reply } from '../../src-shared/api/contract';
import { formatErrors, type FieldError } from '../../src-shared/validation';

/** A refusal or failure a tool reports: its field (a path into the tool's arguments) and the reason. */
export class ToolError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(field && !message.startsWith(field) ? `${field}: ${message}` : message);
  }

  static of(e: ApiError): ToolError {
    return new ToolError(e.code === 'busy' ? `busy: ${e.message}` : e.message, e.field);
  }

  /** Validation errors, one a line, each with its field (and its line and column in YAML text). */
  static fields(errors: FieldError[]): ToolError {
    return new ToolError(formatErrors(errors), errors[0]?.field);
  }
}

/** The value of a backend reply, or its error as a ToolError. */
export function value<T>(r: Reply<T>): T {
  if (!r.ok) throw ToolError.of(r.error);
  return r.value;
}

export function result(structured: object, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
}

export function toolError(e: unknown): CallToolResult {
  return { content: [{ type: 'text', text: e instanceof Error ? e.message : String(e) }], isError: true };
}
