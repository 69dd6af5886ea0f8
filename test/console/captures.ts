/**
 * Console output of real headless builds, copied character for character from
 * /work/shared/resonite-console.md (TABs where it has TABs). Placeholders such as `U-...` and
 * `...` are kept as the reference prints them. The long moderation replies are assembled from the
 * reference's verbatim lines in the order it describes; only the stack frames after the first are
 * made up, in the .NET format the reference shows.
 */

// "Output samples"

export const WORLDS = [
  '[0] Lobby World                     Users: 3\tPresent: 2\tAccessLevel: Anyone\tMaxUsers: 16',
  '[1] Build Night                     Users: 1\tPresent: 0\tAccessLevel: Contacts\tMaxUsers: 8',
].join('\n');

export const STATUS = [
  'Name: Lobby World',
  'SessionID: S-4e1c2a9b-1f0d-4c3e-9a77-2b8d5f6e0c11',
  'Current Users: 3',
  'Present Users: 2',
  'Max Users: 16',
  'Uptime: 01:12:35.4423964',
  'Access Level: Anyone',
  'Hidden from listing: False',
  'Mobile Friendly: False',
  'Description: Welcome!',
  'Tags: social, hangout',
  'Users: Lobby Bot, alice, bob smith',
  'ResoniteLink: off',
].join('\n');

export const USERS = [
  'Lobby Bot\tID: U-1a2b3c4d\tRole: Admin\tPresent: False\tPing: 0 ms\tFPS: 59.857086\tSilenced: False',
  'alice\tID: U-alice\tRole: Builder\tPresent: True\tPing: 41 ms\tFPS: 72.01\tSilenced: False',
  'bob smith\tID: U-bob-smith\tRole: Guest\tPresent: True\tPing: 120 ms\tFPS: 45.5\tSilenced: True',
].join('\n');

export const LISTBANS = '[0]\tUsername: griefer1\tUserID: U-griefer1\tMachineIds: abc123def';

export const SESSION_URL = 'http://cloudx.azurewebsites.net/open/session/S-...';

/** "Replies seen verbatim", with the action that answers each. */
export const VERBATIM_REPLIES = {
  invite: 'Invite sent!',
  message: 'Message sent!',
  acceptfriendrequest: 'Request accepted!',
  kick: 'alice kicked!',
  ban: 'alice banned!',
  silence: 'alice silenced!',
  unsilence: 'alice unsilenced!',
  respawn: 'alice respawned!',
  role: 'alice now has role Builder!',
  unban: 'Removed 1 matching bans',
  accesslevel: 'World Lobby World now has access level LAN',
  hidefromlisting: 'World Lobby World will now show in listing',
  sendfriendrequest: 'Contact request sent to U-alice.',
  gc: 'GC finished',
} as const;

export const NO_FRIEND_REQUEST = "There's no friend request from this user";
export const UNKNOWN_COMMAND = 'Unknown command';
export const USER_NOT_FOUND = 'User not found';

// "More facts from captures of real 2026 builds"

export const ENGINE_UNRESPONSIVE = 'Engine has been unresponsive for over 10.00 seconds';

export const STATUS_DUMP = [
  'SIGNALR: BroadcastStatus - Contact status for U-...',
  '\tType: Headless',
  '\tIsPresent: False',
  '\tAppVersion: 2026.6.4.1252',
].join('\n');

export const RUNNING_REFRESH = 'Running refresh on: OwnerId: U-..., Path: G-...';

export const MOUSEPAD_SHOP = '3Dマウスパッドショップ 3D Mousepad Shop';

export const KICK_REQUEST =
  'KickRequest: KickAndRevokeInvite for User ID... - UserName: alice, UserId: U-alice, MachineId: ..., Role: Guest. Changing User: , ScheduledForValidation: True';

export const SILENCE_TRUE = 'Silence: True for User ...';
export const SILENCE_FALSE = 'Silence: False for User ...';
export const DESTROYING_USER = 'Destroying User: ...';
export const UPDATING_USER = 'Currently updating user: ...';

export const ACCESS_LEVEL_HIDDEN = 'World Lobby World will now be hidden from listing';
export const CONTACT_REMOVED = 'U-... has been removed from your contacts.';

export const LOGGED_OUT_USERS =
  'MyHeadless\tID: \tRole: Admin\tPresent: False\tPing: 0 ms\tFPS: 59.65997\tSilenced: False';

export const USER_JOINED =
  'User Joined <world name>. Username: alice, UserID: U-alice, AllocID: ..., MachineID: ...';
export const USER_SPAWN = 'User Spawn <world name>. Username: ...';

export const NO_WORLD_PROMPT_TEXT = 'NO WORLD>';
export const WORLD_DESTROYED = 'The world has been destroyed in the meanwhile';

export const SHUTDOWN = [
  'Exiting. Save Homes: False',
  'Saving all settings',
  'Shutdown requested',
  '   at FrooxEngine.Engine.RequestShutdown()',
  'Shutting down',
  'Requesting environment shutdown',
].join('\n');

/** A ~25-line .NET stack trace; the first frame is the reference's, the rest are alike. */
export function stackTrace(first = '   at FrooxEngine.User.Kick(...)'): string[] {
  const frames = [
    first,
    '   at FrooxEngine.Headless.HeadlessCommands.<>c__DisplayClass3_0.<SetupCommonCommands>b__14(String[] args)',
    '   at FrooxEngine.Headless.CommandHandler.ProcessCommand(String command)',
    '   at System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start[TStateMachine](TStateMachine& stateMachine)',
    '   at FrooxEngine.World.RunSynchronously(Action action, Boolean immediatellyIfPossible)',
    '   at FrooxEngine.World.RefreshStep()',
    '   at FrooxEngine.WorldManager.RunUpdateLoop(Double time)',
  ];
  for (let i = frames.length; i < 25; i++)
    frames.push(`   at FrooxEngine.UpdateManager.RunQueue(Int32 step${i})`);
  return frames;
}

/** `kick alice` on a 2026 build: the KickRequest log line, a blank line, the trace, the success line. */
export const KICK_REPLY = [KICK_REQUEST, '', ...stackTrace(), 'alice kicked!'].join('\n');

export const BAN_REPLY = [KICK_REQUEST, '', ...stackTrace(), 'alice banned!'].join('\n');

export const SILENCE_REPLY = [
  SILENCE_TRUE,
  ...stackTrace('   at FrooxEngine.User.set_IsSilenced(Boolean value)'),
  'alice silenced!',
].join('\n');

export const UNSILENCE_REPLY = [
  SILENCE_FALSE,
  ...stackTrace('   at FrooxEngine.User.set_IsSilenced(Boolean value)'),
  'alice unsilenced!',
].join('\n');

export const RESPAWN_REPLY = [
  DESTROYING_USER,
  UPDATING_USER,
  ...stackTrace('   at FrooxEngine.UserRoot.OnDestroy()'),
  'alice respawned!',
].join('\n');
