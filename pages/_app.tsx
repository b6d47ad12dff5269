import type { AppProps } from "next/app";
import Head from "next/head";
import type { PageWithLayout } from "@/components/page-layout";
import "@/styles/globals.css";

export default function App({ Component, pageProps }: AppProps & { Component: PageWithLayout }) {
  const page = <Component {...pageProps} />;
  return (
    <>
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      {Component.layout ? Component.layout(page, pageProps) : page}
    </>
  );
}
