import type { NextPage } from "next";
import type { ReactElement, ReactNode } from "react";

/**
 * A page that wraps itself in a layout. Pages whose layout renders the same component keep that component
 * mounted while the user moves between them (the chat shell, with its socket, across conversations).
 */
export type PageWithLayout<Props = object> = NextPage<Props> & { layout?: (page: ReactElement, props: Props) => ReactNode };
