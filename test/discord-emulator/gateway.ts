import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { SnowflakeGenerator } from './snowflake.js';
import type { GuildStore } from './store.js';
import type { DispatchEvent, GatewayEvent } from './types.js';

export const INTENT_GUILDS = 1 << 0;
export const INTENT_GUILD_MEMBERS = 1 << 1;
export const INTENT_GUILD_MESSAGES = 1 << 9;

const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  presence: 3,
  voice: 4,
  resume: 6,
  reconnect: 7,
  requestMembers: 8,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
};
// Dispatches kept per session so a RESUME can replay what a dropped connection missed.
const REPLAY_LOG_SIZE = 1000;

interface Session {
  id: string;
  intents: number;
  seq: number;
  log: { s: number; frame: string }[];
  socket: WebSocket | null;
  /** False once the client closed with 1000/1001 or the session was invalidated: no resume. */
  resumable: boolean;
}

type Json = Record<string, unknown>;

/** The gateway: HELLO, IDENTIFY -> READY (+ GUILD_CREATE), heartbeats, RESUME, dispatches by intent. */
export class Gateway extends EventEmitter<{ gateway: [GatewayEvent]; dispatch: [DispatchEvent] }> {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly store: GuildStore,
    private readonly nextId: SnowflakeGenerator,
    private readonly heartbeatIntervalMs: number,
    private readonly wsUrl: () => string,
  ) {
    super();
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  /** True when some session is identified and currently connected. */
  get connected(): boolean {
    return [...this.sessions.values()].some((s) => s.resumable && s.socket?.readyState === WebSocket.OPEN);
  }

  get hasSession(): boolean {
    return [...this.sessions.values()].some((s) => s.resumable);
  }

  /**
   * Sends a dispatch to every live session whose intents include `intent` (null: always sent).
   * A session whose socket dropped keeps it for replay on RESUME.
   */
  dispatch(t: string, d: unknown, intent: number | null): void {
    this.emit('dispatch', { t, d });
    for (const session of this.sessions.values()) {
      if (!session.resumable) continue;
      if (intent !== null && (session.intents & intent) === 0) continue;
      this.sendDispatch(session, t, d);
    }
  }

  /** Drops every connection: abnormally (1006, the client resumes) or with `code`. */
  drop(code?: number): void {
    for (const client of this.wss.clients) {
      if (code === undefined) client.terminate();
      else client.close(code, 'Dropped by the emulator');
    }
  }

  /** Asks clients to reconnect and resume (op 7), as Discord does before maintenance. */
  requestReconnect(): void {
    for (const client of this.wss.clients)
      client.send(JSON.stringify({ op: OP.reconnect, d: null, s: null, t: null }));
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const frame = JSON.stringify({ op: OP.dispatch, t, s: session.seq, d });
    session.log.push({ s: session.seq, frame });
    if (session.log.length > REPLAY_LOG_SIZE) session.log.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(frame);
  }

  private onConnection(ws: WebSocket): void {
    let session: Session | null = null;
    this.emit('gateway', { kind: 'connect', sessionId: null });
    ws.send(
      JSON.stringify({ op: OP.hello, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }),
    );

    ws.on('message', (raw: RawData) => {
      let payload: Json;
      try {
        payload = JSON.parse(rawText(raw)) as Json;
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      const d = (payload.d ?? {}) as Json;
      switch (payload.op) {
        case OP.heartbeat:
          ws.send(JSON.stringify({ op: OP.heartbeatAck, d: null, s: null, t: null }));
          this.emit('gateway', { kind: 'heartbeat', sessionId: session?.id ?? null });
          return;
        case OP.identify:
          if (session) return void ws.close(4005, 'Already authenticated.');
          session = this.identify(ws, d);
          return;
        case OP.resume:
          if (session) return void ws.close(4005, 'Already authenticated.');
          session = this.resume(ws, d);
          return;
        case OP.presence:
        case OP.voice:
          if (!session) ws.close(4003, 'Not authenticated.');
          return;
        case OP.requestMembers:
          if (!session) return void ws.close(4003, 'Not authenticated.');
          this.sendMemberChunk(session, d);
          return;
        default:
          ws.close(4001, 'Unknown opcode.');
      }
    });

    ws.on('close', (code: number) => {
      this.emit('gateway', { kind: 'close', sessionId: session?.id ?? null, code });
      if (!session || session.socket !== ws) return;
      session.socket = null;
      // Discord invalidates a session the client closed normally; other closes stay resumable.
      if (code === 1000 || code === 1001) session.resumable = false;
    });
  }

  private identify(ws: WebSocket, d: Json): Session | null {
    if (d.token !== this.store.token) {
      ws.close(4004, 'Authentication failed.');
      return null;
    }
    if (typeof d.intents !== 'number') {
      ws.close(4013, 'Invalid intent(s).');
      return null;
    }
    const shard = d.shard;
    if (Array.isArray(shard) && (shard[1] !== 1 || shard[0] !== 0)) {
      ws.close(4010, 'Invalid shard.');
      return null;
    }
    const session: Session = {
      id: this.nextId(),
      intents: d.intents,
      seq: 0,
      log: [],
      socket: ws,
      resumable: true,
    };
    this.sessions.set(session.id, session);
    this.emit('gateway', { kind: 'identify', sessionId: session.id });
    this.sendDispatch(session, 'READY', {
      v: 10,
      user_settings: {},
      user: this.store.botUser,
      guilds: [{ id: this.store.guildId, unavailable: true }],
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.wsUrl(),
      shard: [0, 1],
      application: { id: this.store.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["discord-emulator"]'],
    });
    if ((session.intents & INTENT_GUILDS) !== 0) {
      this.sendDispatch(
        session,
        'GUILD_CREATE',
        this.store.apiGuildCreate((session.intents & INTENT_GUILD_MEMBERS) !== 0),
      );
    }
    return session;
  }

  private resume(ws: WebSocket, d: Json): Session | null {
    const session = this.sessions.get(String(d.session_id));
    const seq = Number(d.seq);
    const oldest = session?.log[0]?.s ?? Number.POSITIVE_INFINITY;
    if (
      !session ||
      !session.resumable ||
      d.token !== this.store.token ||
      (seq + 1 < oldest && seq < session.seq)
    ) {
      ws.send(JSON.stringify({ op: OP.invalidSession, d: false, s: null, t: null }));
      return null;
    }
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    this.emit('gateway', { kind: 'resume', sessionId: session.id });
    for (const entry of session.log) if (entry.s > seq) ws.send(entry.frame);
    this.sendDispatch(session, 'RESUMED', { _trace: ['["discord-emulator"]'] });
    return session;
  }

  /** Answers a Request Guild Members (op 8) with one GUILD_MEMBERS_CHUNK to this session only. */
  private sendMemberChunk(session: Session, d: Json): void {
    const ids = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === 'string'
        ? [d.user_ids]
        : null;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const members = [...this.store.members.values()]
      .filter((m) => (ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)))
      .slice(0, limit);
    this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: this.store.guildId,
      members: members.map((m) => this.store.apiMember(m)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: ids ? ids.filter((id) => !this.store.members.has(id)) : [],
      ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
    });
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}
