import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { APIApplicationCommand, APIChannel, APIGuildMember, APIRole, APIUser } from 'discord.js';
import { CommandStore, GLOBAL } from './commands.js';
import type { Core } from './core.js';
import { FaultInjector } from './faults.js';
import { Gateway, INTENT_GUILD_MEMBERS, INTENT_GUILDS } from './gateway.js';
import { InteractionRegistry } from './interactions.js';
import { MessageStore, snapshot } from './messages.js';
import { RequestRecorder, type RequestPredicate } from './recorder.js';
import { restRoutes } from './rest-routes.js';
import { createHttpServer } from './server.js';
import { createSnowflakeGenerator } from './snowflake.js';
import { GuildStore } from './store.js';
import type {
  ChannelSeed,
  DispatchEvent,
  EmulatorOptions,
  Fault,
  FaultSpec,
  GatewayEvent,
  InteractionHandle,
  MemberSeed,
  MessageChange,
  MessageState,
  OverwriteSeed,
  PressButtonInput,
  RequestRecord,
  RoleSeed,
  SendCommandInput,
} from './types.js';
import { waitFor } from './wait.js';
import { dispatchMessageChange } from './message-dispatch.js';

export interface EmulatorEvents {
  request: [RequestRecord];
  message: [MessageChange];
  dispatch: [DispatchEvent];
  gateway: [GatewayEvent];
}

export interface RequestFilter {
  method?: string;
  path?: RegExp | string;
}

/** A local Discord (REST + gateway) for one bot, one guild; see startDiscordEmulator(). */
export class DiscordEmulator extends EventEmitter<EmulatorEvents> {
  readonly internalErrors: Error[] = [];
  private readonly core: Core;
  private readonly interactions: InteractionRegistry;
  private readonly recorder = new RequestRecorder();
  private readonly faults = new FaultInjector();
  private readonly server: Server;
  /** Known once listening; URLs handed out (READY, attachments) are built lazily from it. */
  private port = 0;

  /** Use startDiscordEmulator(), which also starts listening. */
  constructor(options: EmulatorOptions = {}) {
    super();
    const nextId = createSnowflakeGenerator();
    const store = new GuildStore(options, nextId);
    const resolved = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
      maxFileBytes: options.maxFileBytes ?? 10 * 1024 * 1024,
    };
    const wsUrl = () => this.wsUrl;
    const gateway = new Gateway(store, nextId, resolved.heartbeatIntervalMs, wsUrl);
    const messages = new MessageStore(store, nextId, () => this.baseUrl);
    const commands = new CommandStore(store.applicationId, nextId);
    this.core = { store, messages, commands, gateway, nextId, options: resolved };
    this.interactions = new InteractionRegistry(this.core);
    this.server = createHttpServer(
      {
        core: this.core,
        interactions: this.interactions,
        recorder: this.recorder,
        faults: this.faults,
        routes: restRoutes(wsUrl),
        internalErrors: this.internalErrors,
      },
      (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    );
    messages.on('change', (change) => this.onMessageChange(change));
    this.recorder.on('request', (record) => this.emit('request', record));
    gateway.on('dispatch', (event) => this.emit('dispatch', event));
    gateway.on('gateway', (event) => this.emit('gateway', event));
  }

  /** `http://127.0.0.1:PORT` */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** What discord.js takes as `rest.api` (it appends /v10). */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }
  /** The gateway address `GET /gateway/bot` hands out. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Listens on 127.0.0.1 on a random free port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.interactions.close();
    this.core.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- seeded state -------------------------------------------------------------------------

  get token(): string {
    return this.core.store.token;
  }
  get applicationId(): string {
    return this.core.store.applicationId;
  }
  get guildId(): string {
    return this.core.store.guildId;
  }
  get ownerId(): string {
    return this.core.store.ownerId;
  }
  get botUser(): APIUser {
    return this.core.store.botUser;
  }

  /** Role by id or name (throws when unknown, so test typos fail at once). */
  role(ref: string): APIRole {
    const role = this.core.store.findRole(ref);
    if (!role) throw new Error(`No role "${ref}" in the emulated guild`);
    return this.core.store.apiRole(role);
  }
  roles(): APIRole[] {
    return [...this.core.store.roles.values()].map((r) => this.core.store.apiRole(r));
  }
  channel(ref: string): APIChannel {
    const channel = this.core.store.findChannel(ref);
    if (!channel) throw new Error(`No channel "${ref}" in the emulated guild`);
    return this.core.store.apiChannel(channel);
  }
  channels(): APIChannel[] {
    return [...this.core.store.channels.values()].map((c) => this.core.store.apiChannel(c));
  }
  /** Member by user id or username. */
  member(ref: string): APIGuildMember {
    const member = this.core.store.findMember(ref);
    if (!member) throw new Error(`No member "${ref}" in the emulated guild`);
    return this.core.store.apiMember(member);
  }
  members(): APIGuildMember[] {
    return [...this.core.store.members.values()].map((m) => this.core.store.apiMember(m));
  }
  /** The guild's permission bits for a user (owner and Administrator: all). */
  permissionsOf(userId: string): bigint {
    return this.core.store.permissionsOf(userId);
  }

  /** A user's permissions in a channel, overwrites applied. */
  channelPermissionsOf(userId: string, channelRef: string): bigint {
    return this.core.store.channelPermissionsOf(userId, this.channel(channelRef).id);
  }
  /** Replaces a channel's permission overwrites; CHANNEL_UPDATE goes out with Guilds. */
  setChannelOverwrites(channelRef: string, overwrites: OverwriteSeed[]): APIChannel {
    const stored = this.core.store.findChannel(channelRef);
    if (!stored) throw new Error(`No channel "${channelRef}" in the emulated guild`);
    stored.overwrites = this.core.store.resolveOverwrites(overwrites);
    const channel = this.core.store.apiChannel(stored);
    this.core.gateway.dispatch('CHANNEL_UPDATE', channel, INTENT_GUILDS);
    return channel;
  }

  addRole(seed: RoleSeed): APIRole {
    const role = this.core.store.apiRole(this.core.store.addRole(seed));
    this.core.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: this.guildId, role }, INTENT_GUILDS);
    return role;
  }
  addChannel(seed: ChannelSeed): APIChannel {
    const channel = this.core.store.apiChannel(this.core.store.addChannel(seed));
    this.core.gateway.dispatch('CHANNEL_CREATE', channel, INTENT_GUILDS);
    return channel;
  }
  addMember(seed: MemberSeed): APIGuildMember {
    const member = this.core.store.apiMember(this.core.store.addMember(seed));
    this.core.gateway.dispatch(
      'GUILD_MEMBER_ADD',
      { ...member, guild_id: this.guildId },
      INTENT_GUILD_MEMBERS,
    );
    return member;
  }
  /** Replaces a member's roles (ids or names); GUILD_MEMBER_UPDATE goes out with GuildMembers. */
  setMemberRoles(ref: string, roles: string[]): APIGuildMember {
    const stored = this.core.store.findMember(ref);
    if (!stored) throw new Error(`No member "${ref}" in the emulated guild`);
    stored.roles = this.core.store.resolveRoles(roles);
    const member = this.core.store.apiMember(stored);
    this.core.gateway.dispatch(
      'GUILD_MEMBER_UPDATE',
      { ...member, guild_id: this.guildId },
      INTENT_GUILD_MEMBERS,
    );
    return member;
  }

  /** Commands the bot registered: guild ones by default. */
  commands(scope: 'guild' | 'global' = 'guild'): APIApplicationCommand[] {
    return structuredClone(this.core.commands.list(scope === 'guild' ? this.guildId : GLOBAL));
  }

  // --- messages -----------------------------------------------------------------------------

  getMessage(channelId: string, id: string): MessageState | null {
    const stored = this.core.messages.get(channelId, id);
    return stored ? snapshot(stored) : null;
  }
  /** Non-ephemeral messages of a channel, oldest first. */
  channelMessages(channelId: string): MessageState[] {
    return this.core.messages.list(channelId).map(snapshot);
  }
  /** Deletes a message out of band (a moderator did it); MESSAGE_DELETE goes out with GuildMessages. */
  deleteMessage(channelId: string, id: string): boolean {
    return this.core.messages.delete(channelId, id);
  }
  /** Next message create/update/delete matching `predicate`. */
  waitForMessageChange(
    predicate: (change: MessageChange) => boolean,
    timeoutMs = 5000,
  ): Promise<MessageChange> {
    return waitFor(this, 'message', predicate, timeoutMs, () => 'a matching message change');
  }

  // --- interactions -------------------------------------------------------------------------

  sendCommand(input: SendCommandInput): InteractionHandle {
    return this.interactions.sendCommand(input, false);
  }
  /** An autocomplete interaction; exactly one option must have `focused: true`. */
  sendAutocomplete(input: SendCommandInput): InteractionHandle {
    return this.interactions.sendCommand(input, true);
  }
  pressButton(input: PressButtonInput): InteractionHandle {
    return this.interactions.pressButton(input);
  }

  // --- requests and faults ------------------------------------------------------------------

  get requests(): readonly RequestRecord[] {
    return this.recorder.records;
  }
  /** Requests no route served: the bot called something this emulator (or Discord) lacks. */
  get unknownRequests(): RequestRecord[] {
    return this.recorder.records.filter((r) => r.unknownRoute);
  }
  findRequests(filter: RequestFilter | RequestPredicate): RequestRecord[] {
    return this.recorder.records.filter(typeof filter === 'function' ? filter : matcher(filter));
  }
  /** Next request matching; with `since` (an index into `requests`) earlier ones count too. */
  waitForRequest(
    predicate: RequestPredicate | RequestFilter,
    timeoutMs = 5000,
    since?: number,
  ): Promise<RequestRecord> {
    return this.recorder.waitFor(
      typeof predicate === 'function' ? predicate : matcher(predicate),
      timeoutMs,
      since,
    );
  }
  /** Arms a failure for the next `count` (default 1) requests matching method and path. */
  failNext(spec: FaultSpec): Fault {
    return this.faults.add(spec);
  }
  clearFaults(): void {
    this.faults.clear();
  }

  // --- gateway ------------------------------------------------------------------------------

  get gatewayConnected(): boolean {
    return this.core.gateway.connected;
  }
  /** Drops gateway connections: abnormally by default (the client resumes), or with `code`. */
  dropGatewayConnections(code?: number): void {
    this.core.gateway.drop(code);
  }
  requestReconnect(): void {
    this.core.gateway.requestReconnect();
  }
  waitForGateway(kind: GatewayEvent['kind'], timeoutMs = 5000): Promise<GatewayEvent> {
    return waitFor(
      this,
      'gateway',
      (e: GatewayEvent) => e.kind === kind,
      timeoutMs,
      () => `gateway event "${kind}"`,
    );
  }
  /** Sends any dispatch (e.g. an event the emulator does not model) to sessions with `intent`. */
  dispatch(t: string, d: unknown, intent: number | null = null): void {
    this.core.gateway.dispatch(t, d, intent);
  }

  private onMessageChange(change: MessageChange): void {
    this.interactions.onMessageChange(change);
    dispatchMessageChange(change, this.core.gateway, this.core.store);
    this.emit('message', change);
  }
}

function matcher(filter: RequestFilter): RequestPredicate {
  return (r) =>
    (!filter.method || r.method === filter.method.toUpperCase()) &&
    (filter.path === undefined ||
      (typeof filter.path === 'string' ? r.path === filter.path : filter.path.test(r.path)));
}

/** Starts an emulator on 127.0.0.1 with a random port. */
export async function startDiscordEmulator(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
  const emulator = new DiscordEmulator(options);
  await emulator.listen();
  return emulator;
}
