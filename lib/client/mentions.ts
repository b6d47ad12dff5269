/** An @mention as it appears in a message's text, e.g. "@Carol Smith"; `me` when it names the reader. */
export interface MentionMark {
  text: string;
  me: boolean;
}

export type MentionPart = { kind: "text"; text: string } | { kind: "mention"; text: string; me: boolean };

/** Splits text around the given mentions (plain string matching: names are not patterns; longer names win). */
export function splitMentions(text: string, marks: readonly MentionMark[]): MentionPart[] {
  const sorted = [...marks].filter((mark) => mark.text.length > 1).sort((a, b) => b.text.length - a.text.length);
  const parts: MentionPart[] = [];
  let from = 0;
  for (;;) {
    let found: { index: number; mark: MentionMark } | null = null;
    for (const mark of sorted) {
      const index = text.indexOf(mark.text, from);
      if (index !== -1 && (!found || index < found.index)) found = { index, mark };
    }
    if (!found) break;
    if (found.index > from) parts.push({ kind: "text", text: text.slice(from, found.index) });
    parts.push({ kind: "mention", text: found.mark.text, me: found.mark.me });
    from = found.index + found.mark.text.length;
  }
  if (from < text.length) parts.push({ kind: "text", text: text.slice(from) });
  return parts;
}

/** The "@que" being typed just before the caret (at the start or after whitespace), or null. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|\s)@([^\s@]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1]!.length - 1, query: match[1]! };
}

/** Replaces the "@que" before the caret with "@Display Name " and puts the caret after it. */
export function insertMention(text: string, query: { start: number }, caret: number, displayName: string): { text: string; caret: number } {
  const inserted = `@${displayName} `;
  return { text: text.slice(0, query.start) + inserted + text.slice(caret), caret: query.start + inserted.length };
}

/**
 * The ids of the people whose "@Display Name" is in the text (chosen from the suggestions or typed out),
 * as a whole name: "@Al" in "@Alice" does not mention Al.
 */
export function mentionedIds(body: string, people: ReadonlyArray<{ id: string; displayName: string }>): string[] {
  const ids = new Set<string>();
  for (const person of people) {
    const needle = `@${person.displayName}`;
    for (let index = body.indexOf(needle); index !== -1; index = body.indexOf(needle, index + 1)) {
      if (!/^[\p{L}\p{N}_]/u.test(body.slice(index + needle.length))) {
        ids.add(person.id);
        break;
      }
    }
  }
  return [...ids];
}
