import { userActionCommand } from '../src/discord/user-action-command.js';

export const { definition, execute } = userActionCommand(
  'kick',
  'Kick a user from the world they are in',
  'kicked',
);
