// Typed calls to the Rust commands. No secret ever comes back from these.
import { invoke } from "@tauri-apps/api/core";

export interface VaultStatus {
  path: string;
  exists: boolean;
  unlocked: boolean;
  /** Other vault files opened on this device, most recent first. */
  recent: string[];
  /** Its passphrase is remembered in the OS keyring on this device. */
  remembered: boolean;
  /** Not locked since the app started: a remembered passphrase may be used at once. */
  fresh_start: boolean;
}

export interface LastCheck {
  status: string;
  checked_at: string;
  message?: string;
  hint?: string;
}

export interface EntrySummary {
  id: string;
  name: string;
  provider: string;
  provider_name: string;
  masked: string;
  env_var: string;
  base_url: string | null;
  /** Where a check sends the key when that is not the provider's own address. */
  sent_to: string | null;
  organization: string | null;
  project: string | null;
  environment: string | null;
  tags: string[];
  notes: string | null;
  updated_at: string;
  expires_on: string | null;
  rotation_days: number | null;
  last_check: LastCheck | null;
  history: HistorySummary[];
  keys_url: string;
  billing_url: string;
}

export interface EditEntry {
  name: string;
  environment: string;
  tags: string[];
  notes: string;
  base_url: string;
}

export interface HistorySummary {
  masked: string;
  replaced_at: string;
  replaced_by: string;
}

export interface CheckReport {
  name: string;
  status: string;
  message: string;
  hint: string;
  link: string | null;
  http_status: number | null;
  sent_to: string | null;
  custom_base_url: boolean;
}

export interface NewEntry {
  name: string;
  secret: string;
  provider: string | null;
  environment: string | null;
  tags: string[];
  notes: string | null;
  base_url: string | null;
  organization: string | null;
  project: string | null;
  rotation_days: number | null;
}

export type Theme = "system" | "light" | "dark";

export interface Settings {
  clipboard_clear_secs: number;
  auto_lock_secs: number;
  /** Rotation interval for new keys, in days (0: none). */
  rotation_days: number;
  /** Proxy for key checks; empty: the system's. */
  proxy: string;
  theme: Theme;
  recent_vaults: string[];
  clipboard_warned: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  clipboard_clear_secs: 30,
  auto_lock_secs: 600,
  rotation_days: 90,
  proxy: "",
  theme: "system",
  recent_vaults: [],
  clipboard_warned: [],
};

export interface SkippedLine {
  place: string;
  name: string;
  reason: string;
}

export interface ImportPreview {
  source: string;
  added: EntrySummary[];
  skipped: SkippedLine[];
}

export interface ImportResult {
  added: string[];
  skipped: SkippedLine[];
}

export interface Refreshed {
  /** Locked meanwhile (the session locked, the machine slept). */
  locked: boolean;
  merged: boolean;
  conflict_copies: string[];
  /** What verifying teammates' changes left out, and what is said once. */
  notices: string[];
}

export interface Unlocked {
  warning: string | null;
  /** Not opened: the file is not the vault this device saw there before (how it changed). */
  changed: string | null;
}

export interface MemberView {
  name: string;
  public_key: string;
  fingerprint: string;
  /** Has a signing key: can change the vault (else read-only). */
  writes: boolean;
  added_at: string;
  added_by: string;
  removed_at: string | null;
  removed_by: string | null;
  is_me: boolean;
}

export interface TeamView {
  is_team: boolean;
  my_public_key: string | null;
  my_fingerprint: string | null;
  my_qr_svg: string | null;
  members: MemberView[];
  to_rotate: { name: string; former_members: string[] }[];
}

export interface CopyMerged {
  file: string;
  result: string;
  merged: boolean;
}

export const api = {
  refresh: () => invoke<Refreshed>("refresh_vault"),
  teamStatus: () => invoke<TeamView>("team_status"),
  makeTeam: (name: string, passphrase: string) => invoke<TeamView>("make_team", { name, passphrase }),
  addMember: (name: string, publicKey: string) => invoke<TeamView>("add_member", { name, publicKey }),
  removeMember: (name: string) => invoke<string[]>("remove_member", { name }),
  copyPublicKey: () => invoke<void>("copy_public_key"),
  mergeConflictCopies: () => invoke<CopyMerged[]>("merge_conflict_copies"),
  reveal: (id: string) => invoke<string>("reveal_entry", { id }),
  remove: (id: string) => invoke<string>("delete_entry", { id }),
  undoDelete: () => invoke<string>("undo_delete"),
  edit: (id: string, changes: EditEntry) => invoke<EntrySummary>("edit_entry", { id, changes }),
  replaceKey: (id: string, secret: string, keepBaseUrl: boolean) =>
    invoke<EntrySummary>("replace_key", { id, secret, keepBaseUrl }),
  entryConsents: (id: string) => invoke<string[]>("entry_consents", { id }),
  trustEntry: (id: string) => invoke<void>("trust_entry", { id }),
  changePassphrase: (current: string, next: string) => invoke<number>("change_passphrase", { current, new: next }),
  restoreValue: (id: string, newestFirst: number) => invoke<EntrySummary>("restore_value", { id, newestFirst }),
  getSettings: () => invoke<Settings>("get_settings"),
  setSettings: (settings: Settings) => invoke<Settings>("set_settings", { settings }),
  status: () => invoke<VaultStatus>("vault_status"),
  chooseVault: (path: string) => invoke<VaultStatus>("choose_vault", { path }),
  browseVault: (create: boolean) => invoke<VaultStatus | null>("browse_vault", { create }),
  openProviderPage: (id: string, page: "keys" | "billing") => invoke<void>("open_provider_page", { id, page }),
  previewImport: (path: string, all: boolean) => invoke<ImportPreview>("preview_import", { path, all }),
  importFile: (path: string, all: boolean) => invoke<ImportResult>("import_file", { path, all }),
  exportEnv: (path: string) => invoke<number>("export_env", { path }),
  browseFile: (purpose: "import" | "export") => invoke<string | null>("browse_file", { purpose }),
  create: (passphrase: string) => invoke<void>("create_vault", { passphrase }),
  /** Resolves to a sentence when the vault opened but could not be remembered. */
  unlock: (passphrase: string, remember = false, acceptChange = false) =>
    invoke<Unlocked>("unlock", { passphrase, remember, acceptChange }),
  unlockRemembered: () => invoke<void>("unlock_remembered"),
  forgetDevice: () => invoke<boolean>("forget_device"),
  lock: () => invoke<void>("lock"),
  list: () => invoke<EntrySummary[]>("list_entries"),
  add: (entry: NewEntry) => invoke<EntrySummary>("add_entry", { entry }),
  detect: (secret: string) => invoke<{ id: string; name: string } | null>("detect_provider", { secret }),
  copy: (id: string, clearAfterSecs?: number) =>
    invoke<{ secs: number; warning: string | null }>("copy_entry", { id, clearAfterSecs }),
  check: (id: string, deep: boolean, save = true) => invoke<CheckReport>("check_entry", { id, deep, save }),
  saveChecks: () => invoke<void>("save_checks"),
};

/** Runs `action`; resolves to its error as a plain sentence, or "" when it succeeded. */
export async function attempt(action: () => Promise<void>): Promise<string> {
  try {
    await action();
    return "";
  } catch (e) {
    return errorText(e);
  }
}

/** The error of a failed command, as the plain sentence the core wrote. */
export function errorText(e: unknown): string {
  return typeof e === "string" ? e : e instanceof Error ? e.message : "Something went wrong.";
}
