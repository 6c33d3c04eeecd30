// Key checks run in Rust (one client, a few at a time); each result arrives as it is known.
import { Channel } from "@tauri-apps/api/core";
import { api, type CheckReport, type CheckRun } from "./api";

/** Checks the keys `ids` (every key when empty); `onReport` sees each result as it comes. */
export function runChecks(ids: string[], deep: boolean, onReport: (r: CheckReport) => void): Promise<CheckRun> {
  const channel = new Channel<CheckReport>();
  channel.onmessage = onReport;
  return api.checkEntries(ids, deep, channel);
}
