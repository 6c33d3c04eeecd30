// Pure helpers for the views (unit-tested in format.test.ts).
import type { EntrySummary } from "./api";

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, (now.getTime() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

// Each entry's lower-case search text, computed once per loaded entry (typing stays fast
// with 10,000 keys).
const searchTexts = new WeakMap<EntrySummary, string>();

function searchText(e: EntrySummary): string {
  let text = searchTexts.get(e);
  if (text === undefined) {
    text = [e.name, e.provider, e.provider_name, e.environment ?? "", e.notes ?? "", ...e.tags].join("\n").toLowerCase();
    searchTexts.set(e, text);
  }
  return text;
}

/** Entries containing every word of the query in name, provider, environment, tags or notes. */
export function filterEntries(entries: EntrySummary[], query: string): EntrySummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const text = searchText(e);
    return words.every((w) => text.includes(w));
  });
}

/** The status filter's choices. */
export const STATUS_FILTERS = {
  "": "Any status",
  works: "Works",
  problem: "Has a problem",
  never: "Never checked",
  attention: "Needs attention",
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

export interface Filters {
  provider: string;
  environment: string;
  tag: string;
  status: StatusFilter;
}

export const NO_FILTERS: Filters = { provider: "", environment: "", tag: "", status: "" };

/** The values the filters can choose from, sorted: providers (id and name), environments, tags. */
export function facets(entries: EntrySummary[]): {
  providers: { id: string; name: string }[];
  environments: string[];
  tags: string[];
} {
  const providers = new Map<string, string>();
  const environments = new Set<string>();
  const tags = new Set<string>();
  for (const e of entries) {
    providers.set(e.provider, e.provider_name);
    if (e.environment) environments.add(e.environment);
    for (const t of e.tags) tags.add(t);
  }
  const sorted = (s: Iterable<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return {
    providers: [...providers].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    environments: sorted(environments),
    tags: sorted(tags),
  };
}

/** Entries that pass every chosen filter (an empty filter passes everything). */
export function applyFilters(entries: EntrySummary[], f: Filters, now: Date = new Date()): EntrySummary[] {
  if (!f.provider && !f.environment && !f.tag && !f.status) return entries;
  return entries.filter(
    (e) =>
      (!f.provider || e.provider === f.provider) &&
      (!f.environment || e.environment === f.environment) &&
      (!f.tag || e.tags.includes(f.tag)) &&
      matchesStatus(e, f.status, now),
  );
}

function matchesStatus(e: EntrySummary, status: StatusFilter, now: Date): boolean {
  switch (status) {
    case "":
      return true;
    case "works":
      return e.last_check?.status === "valid";
    case "problem":
      return !!e.last_check && e.last_check.status !== "valid";
    case "never":
      return !e.last_check;
    case "attention":
      // Not working, expired, due for rotation, or readable by a former member.
      return (
        (!!e.last_check && e.last_check.status !== "valid") ||
        badges(e, now).some((b) => b !== "never checked") ||
        e.exposed_to.length > 0
      );
  }
}

export type Badge = "expired" | "rotation due" | "never checked";

/** Badges that ask for attention. */
export function badges(e: EntrySummary, now: Date = new Date()): Badge[] {
  const out: Badge[] = [];
  if (e.expires_on && new Date(e.expires_on + "T23:59:59Z") < now) out.push("expired");
  if (e.rotation_days) {
    const due = new Date(e.updated_at).getTime() + e.rotation_days * 86400_000;
    if (due < now.getTime()) out.push("rotation due");
  }
  if (!e.last_check) out.push("never checked");
  return out;
}

/** A name for a new key: the provider and environment, made unique. */
export function suggestName(provider: string | null, environment: string, taken: Set<string>): string {
  const base = [provider ?? "key", environment].filter(Boolean).join("-").toLowerCase() || "key";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
