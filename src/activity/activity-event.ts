/** One thing the activity feed tells: who came and went, which worlds and servers started and stopped. */
export type ActivityEvent =
  | {
      kind: 'joined' | 'left';
      /** The server's container name (its `CONFIG_FILE` key). */
      server: string;
      /** As members know the server: its display name. */
      display: string;
      world: string;
      user: string;
      /** The world's users afterwards (the headless's own included, as the console counts) and its maximum. */
      count?: { users: number; maxUsers: number };
    }
  | { kind: 'world-started' | 'world-closed'; server: string; display: string; world: string }
  | { kind: 'server-up' | 'server-down'; server: string; display: string };
