import { userActionCommand } from '../src/discord/user-action-command.js';

export const { definition, execute } = userActionCommand('silence', "Silence a user's voice", 'silenced');
