import { describe, expect, it } from "vitest";
import type { EntrySummary } from "./api";
import { badges, filterEntries, strength, suggestName, timeAgo } from "./format";

function entry(over: Partial<EntrySummary>): EntrySummary {
  return {
    id: "1", name: "openai-dev", provider: "openai", provider_name: "OpenAI", masked: "sk-proj-…abcd",
    env_var: "OPENAI_API_KEY", base_url: null, environment: "development", tags: ["web"], notes: null,
    updated_at: "2026-01-01T00:00:00Z", expires_on: null, rotation_days: null, last_check: null, history: [], ...over,
  };
}

describe("timeAgo", () => {
  const now = new Date("2026-01-10T12:00:00Z");
  it("reads like a person", () => {
    expect(timeAgo("2026-01-10T11:59:30Z", now)).toBe("just now");
    expect(timeAgo("2026-01-10T11:55:00Z", now)).toBe("5 min ago");
    expect(timeAgo("2026-01-10T09:00:00Z", now)).toBe("3 h ago");
    expect(timeAgo("2026-01-09T12:00:00Z", now)).toBe("1 day ago");
    expect(timeAgo("2026-01-01T12:00:00Z", now)).toBe("9 days ago");
  });
});

describe("filterEntries", () => {
  const list = [entry({ id: "1" }), entry({ id: "2", name: "claude", provider: "anthropic", provider_name: "Anthropic", tags: ["batch"], environment: "production" })];
  it("matches every word across fields, ignoring case", () => {
    expect(filterEntries(list, "").length).toBe(2);
    expect(filterEntries(list, "ANTHROPIC").map((e) => e.id)).toEqual(["2"]);
    expect(filterEntries(list, "web development").map((e) => e.id)).toEqual(["1"]);
    expect(filterEntries(list, "web production")).toEqual([]);
  });
});

describe("badges", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  it("flags expired, rotation due and never checked", () => {
    expect(badges(entry({ expires_on: "2026-05-01", rotation_days: 30 }), now)).toEqual(["expired", "rotation due", "never checked"]);
    expect(badges(entry({ last_check: { status: "valid", checked_at: "2026-05-31T00:00:00Z" }, updated_at: "2026-05-20T00:00:00Z", rotation_days: 90 }), now)).toEqual([]);
  });
});

describe("strength and names", () => {
  it("rates passphrases", () => {
    expect(strength("abc").label).toBe("too short");
    expect(strength("correct horse battery staple").label).toBe("strong");
  });
  it("suggests unique names", () => {
    expect(suggestName("openai", "production", new Set())).toBe("openai-production");
    expect(suggestName("openai", "", new Set(["openai"]))).toBe("openai-2");
  });
});
