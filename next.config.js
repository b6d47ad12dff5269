/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native or WASM packages, and packages whose single instance must be shared with the custom server.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "drizzle-orm", "redis", "rate-limiter-flexible"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
