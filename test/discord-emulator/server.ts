import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BodyParseError, parseBody, readAll, type ParsedBody } from './body.js';
import type { Core } from './core.js';
import { ApiError, methodNotAllowed, notFound, unauthorized } from './errors.js';
import { FaultInjector, type FaultAnswer } from './faults.js';
import type { InteractionRegistry } from './interactions.js';
import type { RequestRecorder } from './recorder.js';
import { matchRoute, type Route } from './routes/route.js';
import type { Fault } from './types.js';

const API_PREFIX = /^\/api\/v10(\/.*)$/;
const ATTACHMENT_PATH = /^\/attachments\/(\d+)\/(\d+)\/[^/]+$/;

export interface FrontendDeps {
  core: Core;
  interactions: InteractionRegistry;
  recorder: RequestRecorder;
  faults: FaultInjector;
  routes: Route[];
  /** Errors thrown by the emulator itself (answered 500), so tests can fail loudly on them. */
  internalErrors: Error[];
}

interface Answer extends FaultAnswer {
  injected: Fault | null;
  unknownRoute: boolean;
}

/** The HTTP side: REST below /api/v10, attachment downloads, and the gateway upgrade. */
export function createHttpServer(
  deps: FrontendDeps,
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      deps.internalErrors.push(error as Error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Emulator error: ${(error as Error).message}`, code: 0 }));
    });
  });
  server.on('upgrade', onUpgrade);
  return server;
}

async function handle(deps: FrontendDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const attachment = ATTACHMENT_PATH.exec(url.pathname);
  if (attachment && method === 'GET') {
    const file = deps.core.messages.fileOf(attachment[1]!, attachment[2]!);
    res.writeHead(file ? 200 : 404, { 'content-type': file?.contentType ?? 'text/plain' });
    res.end(file?.data ?? 'Not Found');
    return;
  }

  const api = API_PREFIX.exec(url.pathname);
  // discord.js sends `@original` as `%40original`: match and record decoded segments.
  const path = (api?.[1] ?? url.pathname).split('/').map(safeDecode).join('/');
  const query = Object.fromEntries(url.searchParams.entries());
  const at = Date.now();

  const raw = await readAll(req);
  let body: ParsedBody = { json: null, files: [], multipart: false };
  let answer: Answer;
  try {
    body = await parseBody(req, raw, `http://127.0.0.1${url.pathname}`);
    answer = await route(deps, method, api ? path : null, url.searchParams, body, req);
  } catch (error) {
    if (!(error instanceof BodyParseError)) throw error;
    answer = { ...toAnswer(new ApiError(400, 50109, error.message)), injected: null, unknownRoute: false };
  }

  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body !== undefined && answer.status !== 204) headers['content-type'] = 'application/json';
  res.writeHead(answer.status, headers);
  res.end(answer.status === 204 || answer.body === undefined ? undefined : JSON.stringify(answer.body));

  const record = deps.recorder.add({
    method,
    path,
    query,
    body: body.multipart ? { payload: body.json, files: body.files } : body.json,
    rawBody: raw,
    at,
    status: answer.status,
    response: answer.status === 204 ? null : (answer.body ?? null),
    injected: answer.injected !== null,
    unknownRoute: answer.unknownRoute,
  });
  answer.injected?.hits.push(record);
  deps.interactions.onRequest(record);
}

async function route(
  deps: FrontendDeps,
  method: string,
  path: string | null,
  query: URLSearchParams,
  body: ParsedBody,
  req: IncomingMessage,
): Promise<Answer> {
  if (path === null) return { ...toAnswer(notFound()), injected: null, unknownRoute: true };
  const fault = deps.faults.take(method, path);
  if (fault?.spec.processed) await serve(deps, method, path, query, body, req);
  if (fault) return { ...FaultInjector.answer(fault.spec), injected: fault, unknownRoute: false };
  return serve(deps, method, path, query, body, req);
}

async function serve(
  deps: FrontendDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  body: ParsedBody,
  req: IncomingMessage,
): Promise<Answer> {
  const match = matchRoute(deps.routes, method, path);
  if (!match.route) {
    const error = match.methods.length ? methodNotAllowed() : notFound();
    return { ...toAnswer(error), injected: null, unknownRoute: true };
  }
  try {
    if (match.route.auth && req.headers.authorization !== `Bot ${deps.core.store.token}`)
      throw unauthorized();
    const result = await match.route.handle({
      params: match.params,
      query,
      body,
      core: deps.core,
      interactions: deps.interactions,
    });
    return {
      status: result.status,
      body: result.body,
      headers: result.headers ?? {},
      injected: null,
      unknownRoute: false,
    };
  } catch (error) {
    if (error instanceof ApiError) return { ...toAnswer(error), injected: null, unknownRoute: false };
    throw error;
  }
}

function toAnswer(error: ApiError): FaultAnswer {
  return { status: error.status, body: error.toBody(), headers: error.headers };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
