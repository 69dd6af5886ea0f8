import dotenv from 'dotenv';
import { REST } from 'discord.js';
import { loadBotConfig } from './config.js';
import { loadCommands } from './discord/command-loader.js';
import { registerCommands } from './discord/registration.js';
import { ConfigError } from './errors.js';
import { KeyValueStore, openDatabase } from './storage/database.js';

dotenv.config({ quiet: true });

try {
  const config = loadBotConfig(process.env);
  const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(
    config.discord.token,
  );
  const db = openDatabase(config.dataDir);
  const commands = await loadCommands();
  await registerCommands({
    rest,
    clientId: config.discord.clientId,
    guildId: config.discord.guildId,
    commands,
    store: new KeyValueStore(db),
    onlyIfChanged: false,
  });
  db.close();
  console.log(`Registered ${commands.size} commands in guild ${config.discord.guildId}.`);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `Registration failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
