import { Head, Html, Main, NextScript } from "next/document";

export default function Document() {
  return (
    <Html lang="en">
      <Head>
        <meta name="description" content="Messages that are never lost, never duplicated, always in order." />
        {/* The chat shell points it at a copy with a dot while there are unread messages. */}
        <link rel="icon" href="/icon.svg" type="image/svg+xml" />
      </Head>
      <body className="bg-slate-50 text-slate-900 antialiased">
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
