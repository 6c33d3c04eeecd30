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

/** Entries containing every word of the query in name, provider, environment, tags or notes. */
export function filterEntries(entries: EntrySummary[], query: string): EntrySummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const text = [e.name, e.provider, e.provider_name, e.environment ?? "", e.notes ?? "", ...e.tags]
      .join("\n")
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
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

/** A rough passphrase strength, 0 (weak) to 4 (strong), with a word for it. */
export function strength(passphrase: string): { score: number; label: string } {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(passphrase)).length;
  const length = passphrase.length;
  let score = length >= 20 ? 4 : length >= 14 ? 3 : length >= 10 ? 2 : length >= 6 ? 1 : 0;
  if (classes >= 3 && score < 4 && length >= 8) score += 1;
  const labels = ["too short", "weak", "fair", "good", "strong"];
  return { score, label: labels[score] };
}

/** A name for a new key: the provider and environment, made unique. */
export function suggestName(provider: string | null, environment: string, taken: Set<string>): string {
  const base = [provider ?? "key", environment].filter(Boolean).join("-").toLowerCase() || "key";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
