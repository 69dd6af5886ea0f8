import type { IncomingMessage } from 'node:http';
import type { StoredFile } from './types.js';

export interface ParsedBody {
  /** The JSON body, or the `payload_json` part of a multipart body. */
  json: unknown;
  files: StoredFile[];
  multipart: boolean;
}

export class BodyParseError extends Error {}

export async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Reads a request body as discord.js sends it: JSON, or multipart/form-data with a
 * `payload_json` part and `files[n]` parts (Node's own `Request#formData()` parses those).
 */
export async function parseBody(req: IncomingMessage, raw: Buffer, url: string): Promise<ParsedBody> {
  if (raw.length === 0) return { json: null, files: [], multipart: false };
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request(url, {
      method: req.method ?? 'POST',
      headers: { 'content-type': contentType },
      body: raw,
      duplex: 'half',
    } as RequestInit).formData();
    let json: unknown = null;
    const files: StoredFile[] = [];
    for (const [field, value] of form.entries()) {
      if (field === 'payload_json' && typeof value === 'string') {
        json = parseJson(value);
      } else if (typeof value !== 'string') {
        files.push({
          field,
          name: value.name,
          contentType: value.type || 'application/octet-stream',
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { json, files, multipart: true };
  }
  return { json: parseJson(raw.toString('utf8')), files: [], multipart: false };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyParseError('The request body contains invalid JSON.');
  }
}
