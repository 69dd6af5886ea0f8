import { userActionCommand } from '../src/discord/user-action-command.js';

export const { definition, execute } = userActionCommand('respawn', 'Respawn a user', 'respawned');
