import { describe, expect, it } from 'vitest';
import { loadInviteConfig } from '../src/config.js';

describe('loadInviteConfig', () => {
  it('needs only the application id; the server id is optional', () => {
    expect(loadInviteConfig({ DISCORD_CLIENT_ID: '100000000000000001' })).toEqual({
      clientId: '100000000000000001',
      guildId: undefined,
    });
    expect(
      loadInviteConfig({ DISCORD_CLIENT_ID: '100000000000000001', DISCORD_GUILD_ID: '100000000000000002' }),
    ).toEqual({ clientId: '100000000000000001', guildId: '100000000000000002' });
  });

  it('names every bad field', () => {
    expect(() => loadInviteConfig({ DISCORD_GUILD_ID: 'lobby' })).toThrow(
      'Invalid configuration:\n  - DISCORD_CLIENT_ID: is required\n  - DISCORD_GUILD_ID: must be a Discord id (17 to 20 digits)',
    );
  });
});
