import { linkify } from "@/lib/client/linkify";
import { splitMentions, type MentionMark } from "@/lib/client/mentions";

/**
 * Message text as text (React escapes it), with http(s) links as links that cannot reach back into the
 * app, and @mentions highlighted (more strongly when they name the reader).
 */
export function MessageText({ body, own, mentions = [] }: { body: string; own: boolean; mentions?: readonly MentionMark[] }) {
  return splitMentions(body, mentions).map((part, index) =>
    part.kind === "mention" ? (
      <span
        key={index}
        className={
          part.me
            ? "rounded bg-amber-200 px-0.5 font-semibold text-amber-950"
            : `font-semibold ${own ? "text-white underline decoration-white/50" : "text-brand-600"}`
        }
      >
        {part.text}
      </span>
    ) : (
      <Linkified key={index} text={part.text} own={own} />
    ),
  );
}

function Linkified({ text, own }: { text: string; own: boolean }) {
  return linkify(text).map((part, index) =>
    part.kind === "text" ? (
      part.text
    ) : (
      <a
        key={index}
        href={part.href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className={`underline underline-offset-2 ${own ? "text-white decoration-white/60 hover:decoration-white" : "text-brand-600 decoration-brand-600/40 hover:decoration-brand-600"}`}
      >
        {part.text}
      </a>
    ),
  );
}
