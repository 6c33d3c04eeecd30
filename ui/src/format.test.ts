import { describe, expect, it } from "vitest";
import type { EntrySummary } from "./api";
import { applyFilters, badges, facets, NO_FILTERS, searchIndex, searchKeys, suggestName, timeAgo, type Filters } from "./format";

const filterEntries = (list: EntrySummary[], query: string) => searchKeys(searchIndex(list), query);

function entry(over: Partial<EntrySummary>): EntrySummary {
  return {
    id: "1", name: "openai-dev", provider: "openai", provider_name: "OpenAI", masked: "sk-proj-…abcd",
    env_var: "OPENAI_API_KEY", base_url: null, sent_to: null, environment: "development", tags: ["web"], notes: null,
    exposed_to: [], to_confirm: [], created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", updated_by: "ann@test", history_len: 0, expires_on: null, rotation_days: null, last_check: null, history: [], organization: null, project: null, keys_url: "", billing_url: "", ...over,
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

describe("searchKeys", () => {
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

describe("names", () => {
  it("suggests unique names", () => {
    expect(suggestName("openai", "production", new Set())).toBe("openai-production");
    expect(suggestName("openai", "", new Set(["openai"]))).toBe("openai-2");
  });
});

describe("filters", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const checked = (status: string) => ({ status, checked_at: "2026-05-30T00:00:00Z" });
  const list = [
    entry({ id: "1", last_check: checked("valid") }),
    entry({ id: "2", provider: "anthropic", provider_name: "Anthropic", environment: "production", tags: ["batch", "web"], last_check: checked("no_credit") }),
    entry({ id: "3", provider: "groq", provider_name: "Groq", environment: null, tags: [], expires_on: "2026-01-01" }),
    entry({ id: "4", environment: null, tags: [], last_check: checked("valid"), exposed_to: ["bob"] }),
  ];
  const ids = (f: Partial<Filters>) => applyFilters(list, { ...NO_FILTERS, ...f }, now).map((e) => e.id);

  it("offers each provider, environment and tag once, sorted", () => {
    expect(facets(list)).toEqual({
      providers: [{ id: "anthropic", name: "Anthropic" }, { id: "groq", name: "Groq" }, { id: "openai", name: "OpenAI" }],
      environments: ["development", "production"],
      tags: ["batch", "web"],
    });
  });

  it("keeps only what every chosen filter allows", () => {
    expect(ids({})).toEqual(["1", "2", "3", "4"]);
    expect(ids({ provider: "anthropic" })).toEqual(["2"]);
    expect(ids({ environment: "development" })).toEqual(["1"]);
    expect(ids({ tag: "web" })).toEqual(["1", "2"]);
    expect(ids({ tag: "web", environment: "production" })).toEqual(["2"]);
    expect(ids({ status: "works" })).toEqual(["1", "4"]);
    expect(ids({ status: "problem" })).toEqual(["2"]);
    expect(ids({ status: "never" })).toEqual(["3"]);
    // Needs attention: no credit, expired, and exposed to a former member.
    expect(ids({ status: "attention" })).toEqual(["2", "3", "4"]);
  });

  it("finds one key among 10,000", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => entry({ id: String(i), name: `key-${i}`, notes: i % 7 ? null : "billing" }));
    expect(filterEntries(many, "key-9999 billing").map((e) => e.id)).toEqual([]);
    expect(filterEntries(many, "key-9996 billing").map((e) => e.id)).toEqual(["9996"]);
  });

  it("answers as a fresh search would while typing on, erasing and typing again", () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      entry({ id: String(i), name: `key-${i}`, environment: ["staging", "production"][i % 2], tags: [`team-${i % 5}`] }),
    );
    const index = searchIndex(many);
    const typed: string[] = [];
    for (const word of ["key-1", "staging team-3", "STAGING  team", "nothing", "key-4 prod"]) {
      for (let n = 1; n <= word.length; n++) typed.push(word.slice(0, n));
      for (let n = word.length - 1; n >= 0; n--) typed.push(word.slice(0, n));
    }
    // More queries than are remembered, so that earlier answers are dropped on the way.
    for (let i = 0; i < 40; i++) typed.push(`key-${i}`, `key-${i}3`);
    for (const query of typed) {
      expect(searchKeys(index, query).map((e) => e.id), query).toEqual(filterEntries(many, query).map((e) => e.id));
    }
    expect(index.answers.size).toBeLessThanOrEqual(32);
    expect(searchKeys(index, "staging team-3").length).toBe(50);
  });
});

