import { meaningfulLines } from './reply-lines.js';

export function parseFriendRequests(text: string): string[] {
  return meaningfulLines(text)
    .map((line) => line.trim())
    .filter((line) => !/^Unknown command\b/i.test(line));
}
