import type { ApplicationCommandOptionChoiceData, AutocompleteInteraction } from 'discord.js';
import type { Lookups } from './lookups.js';

const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** Choices for the focused `server`, `world` or `user` option, from the lookup cache. */
export async function autocompleteChoices(
  interaction: AutocompleteInteraction,
  lookups: Lookups,
): Promise<ApplicationCommandOptionChoiceData<string>[]> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).toLowerCase();
  const server = interaction.options.getString('server') ?? undefined;
  const world = interaction.options.getString('world') ?? undefined;
  let values: { name: string; value: string }[] = [];
  switch (focused.name) {
    case 'server':
      values = (await lookups.serverNames()).map((name) => ({ name, value: name }));
      break;
    case 'world':
      values = (await lookups.worlds(server)).map((w) => ({
        name: `[${w.index}] ${w.name}`,
        value: w.name.length <= MAX_CHOICE_LENGTH ? w.name : String(w.index),
      }));
      break;
    case 'user': {
      const groups = await lookups.users(server);
      const wanted = world?.toLowerCase();
      const names = groups
        .filter(
          (g) =>
            wanted === undefined || g.world.name.toLowerCase() === wanted || String(g.world.index) === wanted,
        )
        .flatMap((g) => g.users.map((u) => u.name));
      values = [...new Set(names)].map((name) => ({ name, value: name }));
      break;
    }
  }
  return values
    .filter((v) => v.value.length <= MAX_CHOICE_LENGTH && v.name.toLowerCase().includes(typed))
    .slice(0, MAX_CHOICES)
    .map((v) => ({ name: v.name.slice(0, MAX_CHOICE_LENGTH), value: v.value }));
}
