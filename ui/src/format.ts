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

/** What search looks in: each entry's lower-case text, made once per loaded list, and the
 *  answers to recent queries (typing on narrows the last answer; Backspace finds its earlier
 *  answer), so that a keystroke with 10,000 keys rarely looks at all 10,000 texts. */
export interface SearchIndex {
  entries: EntrySummary[];
  texts: string[];
  /** Recent queries (their words joined by one space) → the indices of the entries matching. */
  answers: Map<string, number[]>;
}

const REMEMBERED_QUERIES = 32;

export function searchIndex(entries: EntrySummary[]): SearchIndex {
  const texts = entries.map((e) =>
    [e.name, e.provider, e.provider_name, e.environment ?? "", e.notes ?? "", ...e.tags].join("\n").toLowerCase(),
  );
  return { entries, texts, answers: new Map() };
}

/** Entries containing every word of the query in name, provider, environment, tags or notes. */
export function searchKeys(index: SearchIndex, query: string): EntrySummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return index.entries;
  const key = words.join(" ");
  let hits = index.answers.get(key);
  if (hits === undefined) {
    // A query that only adds to an earlier one ("anth" after "ant", "staging t" after
    // "staging") matches a subset of that one's answer: only those entries are looked at.
    let from: number[] | null = null;
    for (const [earlier, answer] of index.answers) {
      if (key.startsWith(earlier) && (from === null || answer.length < from.length)) from = answer;
    }
    hits = [];
    const { texts } = index;
    const n = from ? from.length : texts.length;
    for (let k = 0; k < n; k++) {
      const i = from ? from[k] : k;
      const text = texts[i];
      let all = true;
      for (const w of words) {
        if (!text.includes(w)) {
          all = false;
          break;
        }
      }
      if (all) hits.push(i);
    }
    if (index.answers.size >= REMEMBERED_QUERIES) index.answers.delete(index.answers.keys().next().value!);
    index.answers.set(key, hits);
  }
  return hits.map((i) => index.entries[i]);
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
