/** Someone the headless logged joining one of its worlds. */
export interface JoinLine {
  world: string;
  user: string;
  /** null when the line carries no id (a guest of a logged-out headless). */
  userId: string | null;
}

// `User Joined <world>. Username: alice, UserID: U-alice, AllocID: ..., MachineID: ...`, after a
// prompt when the log line landed on the prompt's line (the prompt may itself contain `>`).
const JOIN_LINE = /(?:^|>)User Joined (.+?)\. Username: (.+?), UserID: (U-\S+)?, AllocID:/;

/** The join a console line reports, if it is one. */
export function parseJoinLine(line: string): JoinLine | undefined {
  if (!line.includes('User Joined ')) return undefined;
  const match = JOIN_LINE.exec(line.replace(/\r$/, ''));
  if (!match) return undefined;
  const [, world = '', user = '', userId] = match;
  return { world, user, userId: userId ?? null };
}
