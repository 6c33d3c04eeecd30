// The calls and types come from the commands' one declaration (bindings.ts, generated). This
// file adds how the page reads errors: each failed call rejects with an ErrorView, a kind the
// page can act on and the core's sentence.
import { commands, type DeviceSettings, type ErrorKind, type ErrorView } from "./bindings";

export * from "./bindings";
export const api = commands;

export const DEFAULT_SETTINGS: DeviceSettings = {
  clipboard_clear_secs: 30,
  auto_lock_secs: 600,
  rotation_days: 90,
  proxy: "",
  theme: "system",
  recent_vaults: [],
  clipboard_warned: [],
};

function isErrorView(e: unknown): e is ErrorView {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

/** The error of a failed command, as the plain sentence the core wrote. */
export function errorText(e: unknown): string {
  if (isErrorView(e)) return e.message;
  return typeof e === "string" ? e : e instanceof Error ? e.message : "Something went wrong.";
}

/** What kind of error it was (null: not one of the core's). */
export function errorKind(e: unknown): ErrorKind | null {
  return isErrorView(e) ? e.kind : null;
}

/** Runs `action`; resolves to its error as a plain sentence, or "" when it succeeded. */
export async function attempt(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
    return "";
  } catch (e) {
    return errorText(e);
  }
}
