// Generated from src-tauri/src/commands.rs by `cargo test -p keyward-app bindings` (UPDATE_BINDINGS=1 rewrites it): do not edit.
import { invoke, type Channel } from "@tauri-apps/api/core";

/**
 * What was found out about one key. Holds no secret.
 */
export type CheckReport = { name: string, entry_id: string, provider: string, status: Status, 
/**
 * One plain sentence for anybody.
 */
message: string, 
/**
 * What to do next.
 */
hint: string, 
/**
 * The provider's page to go to (keys or billing), when there is one.
 */
link: string | null, http_status: number | null, 
/**
 * The provider's error code or type (`invalid_api_key`, `API_KEY_INVALID`, …).
 */
provider_code: string | null, request_id: string | null, latency_ms: number | null, checked_at: string, 
/**
 * The host (and port) the key was sent to.
 */
sent_to: string | null, 
/**
 * The key was sent to a base URL that is not the provider's own.
 */
custom_base_url: boolean, deep: boolean, details: Details, };

/**
 * What a run of checks found: the reports, failing keys first, then in the order asked.
 */
export type CheckRun = { reports: Array<CheckReport>, not_checked: Array<NotChecked>, summary: CheckSummary, };

/**
 * How a run of checks went, in numbers and in one line ("58 work, 1 invalid, 1 rate-limited").
 */
export type CheckSummary = { checked: number, valid: number, 
/**
 * Checked, and not working (or not known to work).
 */
failing: number, not_checked: number, 
/**
 * Stopped before every key was checked.
 */
cancelled: boolean, line: string, };

/**
 * A key put on the clipboard.
 */
export type Copied = { 
/**
 * Seconds until the clipboard is cleared.
 */
secs: number, 
/**
 * Said once per device: a clipboard manager that keeps a history is running.
 */
warning: string | null, };

export type CopyMerged = { file: string, 
/**
 * "2 added, 1 changed, 0 deleted", or why it was left in place.
 */
result: string, merged: boolean, };

/**
 * What the answer revealed.
 */
export type Details = { models_count: number | null, 
/**
 * A few model names.
 */
models: Array<string>, 
/**
 * Rate-limit headers, as sent.
 */
rate_limit: { [key in string]: string }, 
/**
 * Remaining credit or balance, as the provider states it.
 */
credit: string | null, 
/**
 * The key's own label or role, where the provider tells it.
 */
key_info: string | null, 
/**
 * Where a redirect pointed (not followed).
 */
redirect_to: string | null, };

/**
 * The provider a key looks like (while it is being pasted).
 */
export type Detected = { id: string, name: string, };

export type DeviceSettings = { 
/**
 * Seconds a copied key stays on the clipboard.
 */
clipboard_clear_secs: number, 
/**
 * Seconds without use before the app locks itself.
 */
auto_lock_secs: number, 
/**
 * Rotation interval given to new keys, in days (0: none).
 */
rotation_days: number, 
/**
 * Proxy for key checks (`http://…`, `socks5://…`); empty: the system's proxy variables.
 */
proxy: string, theme: Theme, 
/**
 * Vault files opened on this device, most recent first.
 */
recent_vaults: Array<string>, 
/**
 * Clipboard managers already warned about (they keep a history of copied text).
 */
clipboard_warned: Array<string>, };

/**
 * Changes to a key's details. A field left out stays as it is; an empty text clears it (an
 * empty provider is detected from the key again, an empty variable is the provider's).
 */
export type EditEntry = { name?: string, provider?: string, env_var?: string, organization?: string, project?: string, environment?: string, tags?: Array<string>, notes?: string, base_url?: string, 
/**
 * `""` clears the expiry date; otherwise `YYYY-MM-DD`.
 */
expires_on?: string, 
/**
 * 0 clears the rotation reminder.
 */
rotation_days?: number, };

/**
 * An entry as lists, details views and `--json` output show it. Holds no secret.
 */
export type EntrySummary = { id: string, name: string, provider: string, provider_name: string, 
/**
 * `sk-proj-…a1b2`: a known prefix and the last four characters.
 */
masked: string, env_var: string, base_url: string | null, 
/**
 * Where a check sends the key when that is not the provider's own address (`host:port`).
 */
sent_to: string | null, organization: string | null, project: string | null, environment: string | null, tags: Array<string>, notes: string | null, created_at: string, updated_at: string, 
/**
 * Who changed it last, as [`Authors::author`] says.
 */
updated_by: string, expires_on: string | null, rotation_days: number | null, last_check: LastCheck | null, 
/**
 * How many earlier values are kept in the history.
 */
history_len: number, 
/**
 * The earlier values, masked, newest first.
 */
history: Array<HistorySummary>, 
/**
 * In a team vault: former members who could read this value (rotate it).
 */
exposed_to: Array<string>, 
/**
 * In a team vault: what a teammate set for this key that this device has not confirmed,
 * one sentence each (it is not sent or given to a program until confirmed).
 */
to_confirm: Array<string>, 
/**
 * The provider's page for managing keys and its billing page ("" when unknown).
 */
keys_url: string, billing_url: string, };

/**
 * What went wrong, for a client to act on (the sentence is for the person). Every error that
 * crosses to a client is `{ "kind": …, "message": … }`.
 */
export type ErrorKind = "wrong_passphrase" | "no_identity" | "no_vault" | "locked" | "passphrase_needed" | "remembered_stale" | "vault_changed" | "duplicate_name" | "no_such_entry" | "other_provider" | "read_only" | "busy" | "bad_file" | "io" | "unavailable" | "invalid";

/**
 * An error as clients receive it: its kind and the sentence (no secret is ever in either).
 */
export type ErrorView = { kind: ErrorKind, message: string, };

/**
 * One earlier value of a key, masked.
 */
export type HistorySummary = { masked: string, replaced_at: string, 
/**
 * Who replaced it, as [`Authors::author`] says.
 */
replaced_by: string, };

export type ImportPreview = { 
/**
 * What the file was read as, e.g. "Bitwarden CSV export".
 */
source: string, 
/**
 * The keys that would be added, as they would be saved (masked).
 */
added: Array<EntrySummary>, skipped: Array<SkippedLine>, };

export type ImportResult = { source: string, added: Array<string>, skipped: Array<SkippedLine>, };

/**
 * The outcome of the last key check. Holds no secret.
 */
export type LastCheck = { 
/**
 * One word from the key-check vocabulary (`valid`, `invalid`, …).
 */
status: string, checked_at: string, message?: string, http_status?: number, hint?: string, provider_code?: string, request_id?: string, latency_ms?: number, 
/**
 * It was a deep check (one paid generation request).
 */
deep?: boolean, };

export type MemberView = { name: string, public_key: string, fingerprint: string, 
/**
 * Has a signing key: their changes count (else read-only).
 */
writes: boolean, added_at: string, added_by: string, removed_at: string | null, removed_by: string | null, is_me: boolean, };

/**
 * What I share to be added to a team: my member line (public key and signing key).
 */
export type MyIdentity = { member_line: string, fingerprint: string, 
/**
 * Where the identity is kept on this device.
 */
file: string, };

/**
 * A key to add. Empty texts mean "not set"; the provider is detected from the key when not
 * given, and the variable follows the provider.
 */
export type NewEntry = { name: string, 
/**
 * Wiped when dropped, on every path.
 */
secret: string, provider?: string, env_var?: string, organization?: string, project?: string, environment?: string, tags: Array<string>, notes?: string, base_url?: string, expires_on?: string, 
/**
 * 0 or none: no rotation reminder.
 */
rotation_days?: number, };

/**
 * A key that was not checked, and why (one sentence).
 */
export type NotChecked = { entry_id: string, name: string, reason: string, };

/**
 * Everything the window shows once a vault is open, in one answer: no second round trip
 * between unlocking and the list.
 */
export type Opened = { 
/**
 * Sentences to show once (what verification left out; a passphrase not remembered).
 */
notices: Array<string>, status: VaultStatus, settings: DeviceSettings, entries: Array<EntrySummary>, };

/**
 * What the window is told about a pasted key: never the key.
 */
export type PastedView = { masked: string, provider: Detected | null, 
/**
 * The variable it was assigned to in what was pasted.
 */
variable: string | null, 
/**
 * What was stripped, in one sentence ("" when nothing).
 */
said: string, 
/**
 * How many lines the value has (certificates and JSON credentials have several).
 */
lines: number, };

/**
 * What a pasted key is for.
 */
export type Pasting = "new_key" | "replacement";

/**
 * A provider a key can be set to (the choices in an editor).
 */
export type ProviderChoice = { id: string, name: string, 
/**
 * The variable its SDKs read.
 */
env_var: string, };

/**
 * What looking at the file again found.
 */
export type Refreshed = { 
/**
 * The vault was locked meanwhile (session locked, machine asleep).
 */
locked: boolean, 
/**
 * Another program changed the file and its changes were merged in.
 */
merged: boolean, 
/**
 * Sync tools' conflict copies beside the vault (file names).
 */
conflict_copies: Array<string>, 
/**
 * What verifying others' changes left out, and what is said once.
 */
notices: Array<string>, };

/**
 * Imports the key on `line` under `name` instead of the name in the file.
 */
export type Rename = { line: number, name: string, };

export type RotateView = { name: string, former_members: Array<string>, };

/**
 * What was pasted into search.
 */
export type SearchPaste = { 
/**
 * Text to search for.
 */
text: string | null, 
/**
 * An API key, kept in Rust to be added (never searched for or shown).
 */
key: PastedView | null, };

/**
 * Something in the file that would not be (or was not) added, and why.
 */
export type SkippedLine = { 
/**
 * The line (`.env`) or data row (CSV) it is on.
 */
line: number, 
/**
 * "line 4" or "row 2".
 */
place: string, name: string, reason: string, 
/**
 * A different key of this name is already in the vault: it can be imported under another
 * name ([`Rename`]).
 */
name_taken: boolean, };

/**
 * The verdict of a check, one word from a fixed vocabulary.
 */
export type Status = "valid" | "restricted" | "invalid" | "wrong_organization" | "no_credit" | "rate_limited" | "region_blocked" | "provider_error" | "network_error" | "timeout" | "unsupported";

/**
 * A passphrase's rating, as the window shows it under the field.
 */
export type Strength = { 
/**
 * 0 (guessed at once) to 4 (very hard to guess).
 */
score: number, 
/**
 * "very weak", "weak", "fair", "strong", "very strong".
 */
label: string, 
/**
 * About how many guesses find it, as a power of ten.
 */
guesses_log10: number, 
/**
 * Long enough to be accepted for a new master passphrase.
 */
acceptable: boolean, 
/**
 * What makes it weak, and what would help (empty when it is strong).
 */
advice: string, };

export type TeamView = { is_team: boolean, 
/**
 * Mine, when I have an identity on this device.
 */
me: MyIdentity | null, members: Array<MemberView>, to_rotate: Array<RotateView>, };

/**
 * The window's colours.
 */
export type Theme = "light" | "dark" | "system";

/**
 * Where the session stands, for the unlock screen.
 */
export type VaultStatus = { path: string, exists: boolean, unlocked: boolean, 
/**
 * Other vault files opened on this device, most recent first.
 */
recent: Array<string>, 
/**
 * Its passphrase is remembered in the OS keyring on this device.
 */
remembered: boolean, 
/**
 * Not locked since the session began: a remembered passphrase may be used at once.
 */
fresh_start: boolean, };

/** Every command; a failed call rejects with an `ErrorView` (a kind and a sentence). */
export const commands = {
  /** A vault file picked in the system's dialog (`create`: a new file name); null if cancelled. */
  browseVault: (create: boolean): Promise<VaultStatus | null> => invoke("browse_vault", { create }),
  /** Creates a personal vault under a new master passphrase, and unlocks it. */
  createVault: (passphrase: string): Promise<Opened> => invoke("create_vault", { passphrase }),
  /** Unlocks with the passphrase (`remember`: also in the OS keyring of this device; `accept_change`: the person confirmed a file that changed in kind or root). */
  unlock: (passphrase: string, remember: boolean, acceptChange: boolean): Promise<Opened> => invoke("unlock", { passphrase, remember, acceptChange }),
  /** Unlocks with the passphrase remembered on this device (the OS keyring is asked). */
  unlockRemembered: (): Promise<Opened> => invoke("unlock_remembered"),
  /** Locks: the clipboard is cleared if it holds our key, the secrets are wiped. */
  lock: (): Promise<null> => invoke("lock"),
  /** Adds a key; with an empty `secret`, the key pasted for it (see `paste_key`), which stays pasted if adding fails (a name to change, say). */
  addEntry: (entry: NewEntry): Promise<EntrySummary> => invoke("add_entry", { entry }),
  /** Reads the key on the clipboard in Rust (the page never gets it), cleaned of quotes, `export`, `NAME=` and spaces; kept for the Add or Replace it is `for_what`. */
  pasteKey: (forWhat: Pasting): Promise<PastedView> => invoke("paste_key", { forWhat }),
  /** What was pasted into search: its text, or, when it holds an API key (kept as a new key, like `paste_key`'s), null and the key's view: a key is never shown or searched for. */
  pasteSearch: (): Promise<SearchPaste> => invoke("paste_search"),
  /** Forgets the key pasted `for_what` (its dialog or pane was closed). */
  forgetPasted: (forWhat: Pasting): Promise<null> => invoke("forget_pasted", { forWhat }),
  /** Puts a key on the clipboard, hidden from clipboard history, cleared after a while. */
  copyEntry: (id: string, clearAfterSecs: number | null): Promise<Copied> => invoke("copy_entry", { id, clearAfterSecs }),
  /** Checks keys (every key when `ids` is empty) with one client; each result is sent on `progress` as it comes, and saved once at the end. `cancel_checks` stops it. */
  checkEntries: (ids: Array<string>, deep: boolean, progress: Channel<CheckReport>): Promise<CheckRun> => invoke("check_entries", { ids, deep, progress }),
  /** Stops the checks running now (finished results are kept). */
  cancelChecks: (): Promise<null> => invoke("cancel_checks"),
  /** Replaces a key's value; the old one goes into its history. `other_provider`: the person confirmed a key that looks like another provider's. An empty `secret` is the key pasted last; refused for another provider's key, it stays pasted for the answer. */
  replaceKey: (id: string, secret: string, keepBaseUrl: boolean, otherProvider: boolean): Promise<EntrySummary> => invoke("replace_key", { id, secret, keepBaseUrl, otherProvider }),
  /** Opens the provider's keys page (or `billing` page) in the browser. */
  openProviderPage: (id: string, billing: boolean): Promise<null> => invoke("open_provider_page", { id, billing }),
  /** A file picked in the system's dialog: to import from, or (`for_export`) to save to. */
  browseFile: (forExport: boolean): Promise<string | null> => invoke("browse_file", { forExport }),
  /** The QR code (SVG) of my member line, for a teammate's phone or camera. */
  identityQr: (): Promise<string | null> => invoke("identity_qr"),
  /** Puts my member line on the clipboard (it is not a secret). */
  copyPublicKey: (): Promise<null> => invoke("copy_public_key"),
  /** Which vault, whether it is unlocked, the recent ones. */
  vaultStatus: (): Promise<VaultStatus> => invoke("vault_status"),
  /** Makes `path` the vault to unlock or create (only while locked). */
  chooseVault: (path: string): Promise<VaultStatus> => invoke("choose_vault", { path }),
  /** How hard a passphrase is to guess (shown while a new one is typed). */
  ratePassphrase: (passphrase: string): Promise<Strength> => invoke("rate_passphrase", { passphrase }),
  /** Forgets the passphrase remembered on this device for this vault. */
  forgetDevice: (): Promise<boolean> => invoke("forget_device"),
  /** Merges in what another program changed in the file; finds conflict copies. */
  refreshVault: (): Promise<Refreshed> => invoke("refresh_vault"),
  /** Changes the master passphrase (`current` asked again); returns how many old backups went. */
  changePassphrase: (current: string, newPassphrase: string): Promise<number> => invoke("change_passphrase", { current, newPassphrase }),
  getSettings: (): Promise<DeviceSettings> => invoke("get_settings"),
  /** Saves this device's settings (the recent vaults and warnings given stay as they are). */
  setSettings: (settings: DeviceSettings): Promise<DeviceSettings> => invoke("set_settings", { settings }),
  listEntries: (): Promise<Array<EntrySummary>> => invoke("list_entries"),
  /** Every provider a key can be set to. */
  listProviders: (): Promise<Array<ProviderChoice>> => invoke("list_providers"),
  /** The provider of a key being typed or pasted. */
  detectProvider: (secret: string): Promise<Detected | null> => invoke("detect_provider", { secret }),
  /** The one operation that gives the window a secret: when the person pressed Reveal. */
  revealEntry: (id: string): Promise<string> => invoke("reveal_entry", { id }),
  /** Deletes a key (Undo brings it back until the next delete or lock); returns its name. */
  deleteEntry: (id: string): Promise<string> => invoke("delete_entry", { id }),
  undoDelete: (): Promise<string> => invoke("undo_delete"),
  /** Changes a key's details (a field left out stays; empty text clears it). */
  editEntry: (id: string, changes: EditEntry): Promise<EntrySummary> => invoke("edit_entry", { id, changes }),
  trustEntry: (id: string): Promise<null> => invoke("trust_entry", { id }),
  /** Makes an earlier value the key again (`newest_first`: its place in the history list). */
  restoreValue: (id: string, newestFirst: number): Promise<EntrySummary> => invoke("restore_value", { id, newestFirst }),
  /** What importing `path` would add and skip (nothing changes). */
  previewImport: (path: string, all: boolean, renames: Array<Rename>): Promise<ImportPreview> => invoke("preview_import", { path, all, renames }),
  importFile: (path: string, all: boolean, renames: Array<Rename>): Promise<ImportResult> => invoke("import_file", { path, all, renames }),
  /** Writes the chosen keys (every key when `ids` is empty) to a new `.env` file. */
  exportEnv: (path: string, ids: Array<string>): Promise<number> => invoke("export_env", { path, ids }),
  teamStatus: (): Promise<TeamView> => invoke("team_status"),
  /** Joining a team: my identity, created under `passphrase` if I have none (opened with it otherwise); my own vault stays as it is. Returns the line to give a member. */
  createIdentity: (passphrase: string): Promise<MyIdentity> => invoke("create_identity", { passphrase }),
  /** Makes this vault a team vault with me as its first member. */
  makeTeam: (name: string, passphrase: string): Promise<TeamView> => invoke("make_team", { name, passphrase }),
  /** Adds a member from the line they shared. */
  addMember: (name: string, publicKey: string): Promise<TeamView> => invoke("add_member", { name, publicKey }),
  /** Removes a member; returns the keys they could read (to rotate). */
  removeMember: (name: string): Promise<Array<string>> => invoke("remove_member", { name }),
  /** Merges every conflict copy beside the vault and deletes the ones merged. */
  mergeConflictCopies: (): Promise<Array<CopyMerged>> => invoke("merge_conflict_copies"),
};
