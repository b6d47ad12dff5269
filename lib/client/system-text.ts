import type { MessageDto } from "@/lib/socket-events";

/** A user's name as the reader should see it ("You" for themselves), or null when this device does not know it. */
export type NameOf = (userId: string) => string | null;

const YOU = "You";

const list = new Intl.ListFormat("en", { style: "long", type: "conjunction" });

/**
 * A system message in words, from its structured `meta`: "Alice added Bob and Carol", "You left". When
 * a name is unknown here (e.g. someone who left before this device met them), the server's English
 * fallback in `body` is used instead.
 */
export function systemText(message: MessageDto, nameOf: NameOf): string {
  const meta = message.meta;
  if (!meta) return message.body;
  // "You" starts a sentence; anywhere else it is "you".
  const objectName = (userId: string) => {
    const name = nameOf(userId);
    return name === YOU ? "you" : name;
  };
  const names = (ids: string[]) => {
    const resolved = ids.map(objectName);
    return resolved.every((name) => name !== null) ? list.format(resolved as string[]) : null;
  };
  const actor = nameOf(meta.actorId);
  let text: string | null = null;
  switch (meta.type) {
    case "group_created":
      text = actor && `${actor} created the group "${meta.title}"`;
      break;
    case "members_added": {
      const added = names(meta.userIds);
      text = actor && added && `${actor} added ${added}`;
      break;
    }
    case "member_removed": {
      const removed = objectName(meta.userId);
      text = actor && removed && `${actor} removed ${removed}`;
      break;
    }
    case "member_left":
      text = actor && `${actor} left`;
      break;
    case "role_changed": {
      const target = nameOf(meta.userId);
      const you = target === YOU;
      const wording = {
        owner: you ? "are now the owner" : "is now the owner",
        admin: you ? "are now an admin" : "is now an admin",
        member: you ? "are no longer an admin" : "is no longer an admin",
      };
      text = target && `${target} ${wording[meta.role]}`;
      break;
    }
    case "group_updated": {
      const wording = { title: "renamed the group", avatarUrl: "changed the group photo", announcement: "updated the announcement" };
      text = actor && `${actor} ${list.format(meta.fields.map((field) => wording[field]))}`;
      break;
    }
  }
  return text ?? message.body;
}
