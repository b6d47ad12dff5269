import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    // Playwright fixtures take a `use` callback, which the React hooks rules mistake for React's `use`.
    files: ["e2e/**", "tests/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  { ignores: [".next/**", "node_modules/**", "data/**", ".e2e/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
