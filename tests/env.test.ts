import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "../server/env";

describe("environment validation", () => {
  it("applies defaults for a bare machine: PGlite under ./data, port 3000", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe("./data/pglite");
    expect(env.ALLOWED_ORIGINS).toEqual([]);
  });

  it("treats empty variables as unset", () => {
    const env = parseEnv({ DATABASE_URL: "", REDIS_URL: "", PORT: "" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it("reports every bad value with a clear message", () => {
    let error: unknown;
    try {
      parseEnv({ PORT: "http", DATABASE_URL: "mysql://x", AUTH_SECRET: "short" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    expect(message).toContain("PORT: PORT must be a number");
    expect(message).toContain("DATABASE_URL: DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(message).toContain("AUTH_SECRET: AUTH_SECRET must be at least 32 characters");
  });

  it("accepts a real configuration", () => {
    const env = parseEnv({
      PORT: "8080",
      DATABASE_URL: "postgres://u@127.0.0.1:5432/chat",
      REDIS_URL: "redis://127.0.0.1:6379",
      PGLITE_DIR: "/var/lib/chat",
      ALLOWED_ORIGINS: "https://a.example, https://b.example",
    });
    expect(env.PORT).toBe(8080);
    expect(env.PGLITE_DIR).toBe("/var/lib/chat");
    expect(env.ALLOWED_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
  });
});
