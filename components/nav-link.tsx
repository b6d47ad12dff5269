import { useRouter } from "next/router";
import type { AnchorHTMLAttributes, MouseEvent } from "react";

/**
 * A link to another page of the app, followed on the client (the chat shell stays mounted). next/link
 * does the same with viewport prefetching and URL-object hrefs this app does not use, for ~2 kB gzip more
 * on the first load; here the next page's code is fetched when the pointer or focus reaches the link.
 */
export function NavLink({ href, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const router = useRouter();
  const prefetch = () => void router.prefetch(href).catch(() => undefined);
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    // Modified clicks (new tab, new window, download) stay with the browser.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void router.push(href);
  };
  return <a href={href} onPointerEnter={prefetch} onFocus={prefetch} {...props} onClick={follow} />;
}
