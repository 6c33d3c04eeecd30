//! The plaintext inside a vault file: a versioned JSON document of entries, and the
//! operations that change it (add, edit, remove), each stamped with who and when.

use crate::entry::{Entry, LastCheck, Tombstone};
use crate::error::{Result, VaultError};
use crate::provider;
use crate::secret::Secret;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::io::Write;
use zeroize::Zeroizing;

/// The `format` field of every Keyward vault document.
pub const FORMAT_NAME: &str = "keyward-vault";
/// The newest document version this Keyward reads and writes (2: team vaults with signed
/// changes; personal vaults are still written as 1).
pub const FORMAT_VERSION: u64 = 2;
/// The version new documents start at (a team vault becomes 2 when its changes are signed).
const FIRST_FORMAT_VERSION: u64 = 1;
/// The scrypt work factor (log2 N) new passphrase vaults are written with.
pub const DEFAULT_WORK_FACTOR: u8 = 18;

/// The decrypted content of a vault file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub format: String,
    pub version: u64,
    /// Random id of this vault, the same in every copy of it.
    pub vault_id: String,
    pub created_at: DateTime<Utc>,
    pub settings: Settings,
    /// A team vault's members, current and former (see [`crate::members`]); empty for a
    /// personal vault.
    /// In a team vault with signed changes this list is only for people reading the file: the
    /// members are computed from `membership` when it is read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<crate::members::Member>,
    /// A team vault's membership log (see [`crate::member_log`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub membership: Vec<crate::member_log::MemberOp>,
    /// Live entries, in the order they were added.
    pub entries: Vec<Entry>,
    /// Deleted entries' ids, kept so that copies of the vault merge deletions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tombstones: Vec<Tombstone>,
    /// Fields written by a newer Keyward: kept as they are and written back.
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
    /// Ids of the entries whose base URL or variable was set by an edit made here since the
    /// document was read: mine, so they need no confirmation (see [`crate::consent`]). Never
    /// written to the file.
    #[serde(skip)]
    pub chosen_here: ChosenHere,
}

/// See [`Document::chosen_here`]. It says what happened on this device, not what the document
/// holds, so two documents are equal whatever it holds.
#[derive(Debug, Clone, Default)]
pub struct ChosenHere(pub std::collections::BTreeSet<String>);

impl PartialEq for ChosenHere {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

crate::unknown_fields::deserialize_keeping_unknown!(
    Document,
    times: [created_at],
    required: [format, version, vault_id],
    optional: [settings, members, membership, entries, tombstones],
    local: [chosen_here]
);

/// Settings stored inside the vault (shared by every device that opens it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// scrypt work factor used when this passphrase vault is written.
    pub scrypt_work_factor: u8,
    /// In a team vault, who set these (see [`crate::authenticate`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed: Option<crate::signing::Signed>,
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
}

crate::unknown_fields::deserialize_keeping_unknown!(Settings, times: [], required: [scrypt_work_factor], optional: [signed]);

impl Default for Settings {
    fn default() -> Self {
        Settings { scrypt_work_factor: DEFAULT_WORK_FACTOR, signed: None, unknown: Map::new() }
    }
}

/// Optional metadata for adding or editing an entry. `None` leaves a field as it is. For
/// editing, `Some("")` clears an optional text field, and resets `provider` (detected from the
/// key again) and `env_var` (the provider's default).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryFields {
    pub provider: Option<String>,
    pub base_url: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub environment: Option<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
    pub env_var: Option<String>,
    /// `Some(None)` clears the expiry date.
    pub expires_on: Option<Option<NaiveDate>>,
    pub rotation_days: Option<u32>,
}

/// Who changes the document, and when (passed in so that changes are reproducible).
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub now: DateTime<Utc>,
    pub actor: &'a str,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u64>,
}

impl Document {
    /// A new, empty vault document.
    pub fn new(now: DateTime<Utc>) -> Self {
        Document {
            format: FORMAT_NAME.to_string(),
            version: FIRST_FORMAT_VERSION,
            vault_id: uuid::Uuid::new_v4().to_string(),
            created_at: now,
            settings: Settings::default(),
            entries: Vec::new(),
            tombstones: Vec::new(),
            members: Vec::new(),
            membership: Vec::new(),
            unknown: Map::new(),
            chosen_here: Default::default(),
        }
    }

    /// A team vault whose changes are signed (it has a membership log).
    pub fn is_signed(&self) -> bool {
        !self.membership.is_empty()
    }

    /// Parses decrypted vault JSON. Checks format name and version before anything else,
    /// so that a newer vault is refused with [`VaultError::NewerVersion`].
    pub fn from_json(bytes: &[u8]) -> std::result::Result<Self, FormatError> {
        // The whole document is parsed once; the header alone is looked at only to explain a
        // failure (a newer or foreign document usually fails to parse as this version).
        match serde_json::from_slice::<Document>(bytes) {
            Ok(doc) => {
                check_header(Some(&doc.format), Some(doc.version))?;
                Ok(doc)
            }
            Err(e) => {
                let header: Header = serde_json::from_slice(bytes).map_err(|e| FormatError::NotJson(describe(&e)))?;
                check_header(header.format.as_deref(), header.version)?;
                Err(FormatError::Invalid(describe(&e)))
            }
        }
    }

    /// Serializes to JSON laid out for people (see [`crate::json_layout`]) in a buffer that is wiped on drop.
    /// When the buffer must grow, the old one is wiped too, so no partial copy is left behind.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let estimate = 1024 + self.entries.len() * 640 + self.tombstones.len() * 160;
        let mut out = WipingBuffer(Zeroizing::new(Vec::with_capacity(estimate)));
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, crate::json_layout::VaultLayout::default());
        self.serialize(&mut serializer).expect("a document always serializes");
        out.0
    }

    /// The live entry called `name`.
    pub fn get(&self, name: &str) -> Result<&Entry> {
        self.entries.iter().find(|e| e.name == name).ok_or_else(|| VaultError::NoSuchEntry(name.to_string()))
    }

    fn position(&self, name: &str) -> Result<usize> {
        self.entries.iter().position(|e| e.name == name).ok_or_else(|| VaultError::NoSuchEntry(name.to_string()))
    }

    /// Adds a new entry. The provider is detected from the key when not given.
    pub fn add(&mut self, name: &str, secret: Secret, fields: EntryFields, change: &Change) -> Result<&Entry> {
        let name = check_name(name)?;
        if secret.expose().trim().is_empty() {
            return Err(VaultError::Invalid("The key is empty.".into()));
        }
        if self.entries.iter().any(|e| e.name == name) {
            return Err(VaultError::DuplicateName(name));
        }
        let provider = provider::detect_id(secret.expose()).to_string();
        let mut entry = Entry {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            provider,
            secret,
            base_url: None,
            organization: None,
            project: None,
            environment: None,
            tags: Vec::new(),
            notes: None,
            env_var: String::new(),
            created_at: change.now,
            updated_at: change.now,
            updated_by: change.actor.to_string(),
            expires_on: None,
            rotation_days: None,
            last_check: None,
            history: Vec::new(),
            signed: None,
            unknown: Map::new(),
        };
        apply_fields(&mut entry, fields)?;
        if entry.env_var.is_empty() {
            entry.env_var = provider::default_env_var(&entry.provider, &entry.name);
        }
        self.chosen_here.0.insert(entry.id.clone());
        self.entries.push(entry);
        Ok(self.entries.last().expect("just pushed"))
    }

    /// Changes an entry: rename, new secret (the old one goes into its history), metadata.
    pub fn edit(
        &mut self,
        name: &str,
        new_name: Option<&str>,
        secret: Option<Secret>,
        fields: EntryFields,
        change: &Change,
    ) -> Result<&Entry> {
        let index = self.position(name)?;
        // Changes are made to a copy and kept only if all of them are valid.
        let mut entry = self.entries[index].clone();
        if let Some(new_name) = new_name {
            let new_name = check_name(new_name)?;
            if new_name != name && self.entries.iter().any(|e| e.name == new_name) {
                return Err(VaultError::DuplicateName(new_name));
            }
            entry.name = new_name;
        }
        let at = entry.next_time(change.now);
        if let Some(secret) = secret {
            if secret.expose().trim().is_empty() {
                return Err(VaultError::Invalid("The key is empty.".into()));
            }
            entry.replace_secret(secret, at, change.actor);
        }
        let (url, var) = (entry.base_url.clone(), entry.env_var.clone());
        apply_fields(&mut entry, fields)?;
        // Only the field I changed is mine: a teammate's base URL stays theirs when I change the
        // variable, and the other way round.
        if entry.base_url != url {
            self.chosen_here.0.insert(format!("{}#base_url", entry.id));
        }
        if entry.env_var != var {
            self.chosen_here.0.insert(format!("{}#env_var", entry.id));
        }
        entry.touch(at, change.actor);
        self.entries[index] = entry;
        Ok(&self.entries[index])
    }

    /// Makes an earlier value (`history_index`, oldest first) the entry's key again; the current
    /// value goes into the history.
    pub fn restore_value(&mut self, name: &str, history_index: usize, change: &Change) -> Result<&Entry> {
        let index = self.position(name)?;
        let old = self.entries[index]
            .history
            .get(history_index)
            .map(|h| h.secret.clone())
            .ok_or_else(|| VaultError::Invalid("That earlier value is not in the history.".into()))?;
        self.edit(name, None, Some(old), EntryFields::default(), change)
    }

    /// Puts back an entry removed by [`Document::remove`] (an undo): its tombstone goes, and it
    /// counts as changed now, so that copies which saw the deletion bring it back too.
    pub fn restore(&mut self, mut entry: Entry, change: &Change) -> Result<&Entry> {
        if self.entries.iter().any(|e| e.id == entry.id) {
            return Err(VaultError::Invalid("That key is already in the vault.".into()));
        }
        if self.entries.iter().any(|e| e.name == entry.name) {
            return Err(VaultError::DuplicateName(entry.name));
        }
        let deleted_at = self.tombstones.iter().filter(|t| t.id == entry.id).map(|t| t.deleted_at).max();
        self.tombstones.retain(|t| t.id != entry.id);
        let at =
            entry.next_time(change.now).max(deleted_at.map_or(change.now, |d| d + chrono::Duration::nanoseconds(1)));
        entry.touch(at, change.actor);
        self.entries.push(entry);
        Ok(self.entries.last().expect("just pushed"))
    }

    /// Saves a key check's result on the entry with id `entry_id` (if it still exists). This is
    /// not a change of the key: `updated_at` stays, so a check never wins a merge over an edit.
    pub fn record_check(&mut self, entry_id: &str, mut check: LastCheck) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == entry_id) {
            check.signed = None;
            e.last_check = Some(check);
        }
    }

    /// Deletes an entry, leaving a tombstone so that other copies learn of the deletion.
    pub fn remove(&mut self, name: &str, change: &Change) -> Result<Entry> {
        let index = self.position(name)?;
        let entry = self.entries.remove(index);
        // An entry edited after an earlier deletion (in another copy) can be deleted again.
        self.tombstones.retain(|t| t.id != entry.id);
        self.tombstones.push(Tombstone {
            id: entry.id.clone(),
            deleted_at: entry.next_time(change.now),
            deleted_by: change.actor.to_string(),
            signed: None,
        });
        Ok(entry)
    }
}

impl Document {
    /// Gives every entry a unique name after a merge: among entries sharing a name, the
    /// earliest created keeps it and the others become `NAME (2)`, `NAME (3)`, … Each rename
    /// is an ordinary edit by `change`. Returns the (old, new) names.
    pub fn rename_clashes(&mut self, change: &Change) -> Vec<(String, String)> {
        let mut order: Vec<usize> = (0..self.entries.len()).collect();
        order.sort_by(|&x, &y| {
            let (x, y) = (&self.entries[x], &self.entries[y]);
            (x.created_at, &x.id).cmp(&(y.created_at, &y.id))
        });
        let mut taken: std::collections::HashSet<String> = self.entries.iter().map(|e| e.name.clone()).collect();
        let mut holders = std::collections::HashSet::with_capacity(self.entries.len());
        let mut renamed = Vec::new();
        for i in order {
            if holders.insert(self.entries[i].name.clone()) {
                continue;
            }
            let base = self.entries[i].name.clone();
            let new = (2..).map(|n| format!("{base} ({n})")).find(|c| !taken.contains(c)).expect("unbounded");
            taken.insert(new.clone());
            holders.insert(new.clone());
            let entry = &mut self.entries[i];
            entry.name = new.clone();
            entry.touch(entry.next_time(change.now), change.actor);
            renamed.push((base, new));
        }
        renamed
    }
}

/// Why decrypted bytes are not a usable vault document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    NotJson(String),
    WrongFormat(String),
    Newer(u64),
    Invalid(String),
}

/// Where and what kind of problem a JSON error is, without serde's message: that message can
/// quote the offending value, which may be a secret.
fn describe(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Syntax => "malformed JSON",
        serde_json::error::Category::Eof => "it ends too early",
        serde_json::error::Category::Data => "a field has the wrong type or is missing",
        serde_json::error::Category::Io => "it could not be read",
    };
    format!("{what} at line {}, column {}", e.line(), e.column())
}

/// Refuses documents of another format, or of a newer version than this Keyward reads.
fn check_header(format: Option<&str>, version: Option<u64>) -> std::result::Result<(), FormatError> {
    match format {
        Some(FORMAT_NAME) => {}
        Some(other) => return Err(FormatError::WrongFormat(format!("its format is \"{}\"", truncate(other)))),
        None => return Err(FormatError::WrongFormat("it has no \"format\" field".into())),
    }
    match version {
        Some(v) if v > FORMAT_VERSION => Err(FormatError::Newer(v)),
        Some(_) => Ok(()),
        None => Err(FormatError::WrongFormat("it has no \"version\" field".into())),
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(VaultError::Invalid("A key needs a name.".into()));
    }
    if name.chars().any(char::is_control) {
        return Err(VaultError::Invalid("A key's name cannot contain control characters.".into()));
    }
    if name.chars().count() > 200 {
        return Err(VaultError::Invalid("A key's name can be at most 200 characters long.".into()));
    }
    Ok(name.to_string())
}

/// `Some("")` → `None` (cleared), `Some(text)` → trimmed text.
fn optional_text(value: String) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn apply_fields(entry: &mut Entry, fields: EntryFields) -> Result<()> {
    let old_default_var = provider::default_env_var(&entry.provider, &entry.name);
    if let Some(p) = fields.provider {
        let mut p = p.trim().to_ascii_lowercase();
        if p.is_empty() {
            p = provider::detect_id(entry.secret.expose()).to_string();
        }
        if p != provider::OTHER && provider::by_id(&p).is_none() {
            let known: Vec<&str> = provider::PROVIDERS.iter().map(|p| p.id).collect();
            return Err(VaultError::Invalid(format!(
                "Unknown provider \"{}\". Known providers: {}, other.",
                truncate(&p),
                known.join(", ")
            )));
        }
        entry.provider = p;
    }
    if let Some(url) = fields.base_url {
        let url = optional_text(url);
        if let Some(u) = &url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            return Err(VaultError::Invalid("The base URL must start with https:// or http://.".into()));
        }
        entry.base_url = url;
    }
    if let Some(v) = fields.organization {
        entry.organization = optional_text(v);
    }
    if let Some(v) = fields.project {
        entry.project = optional_text(v);
    }
    if let Some(v) = fields.environment {
        entry.environment = optional_text(v);
    }
    if let Some(tags) = fields.tags {
        let mut tags: Vec<String> = tags.into_iter().filter_map(optional_text).collect();
        tags.sort();
        tags.dedup();
        entry.tags = tags;
    }
    if let Some(v) = fields.notes {
        entry.notes = optional_text(v);
    }
    if fields.env_var.is_none() && entry.env_var == old_default_var {
        // The variable followed the provider's default: it follows a new provider too.
        entry.env_var = provider::default_env_var(&entry.provider, &entry.name);
    }
    if let Some(var) = fields.env_var {
        let mut var = var.trim().to_string();
        if var.is_empty() {
            var = provider::default_env_var(&entry.provider, &entry.name);
        }
        if !provider::is_valid_env_var(&var) {
            return Err(VaultError::Invalid(format!(
                "\"{}\" is not a valid environment variable name (letters, digits and _, not starting with a digit).",
                truncate(&var)
            )));
        }
        crate::env_guard::check_variable(&var)?;
        entry.env_var = var;
    }
    if let Some(d) = fields.expires_on {
        entry.expires_on = d;
    }
    if let Some(days) = fields.rotation_days {
        entry.rotation_days = (days > 0).then_some(days);
    }
    Ok(())
}

/// A byte buffer that wipes its old allocation whenever it grows.
struct WipingBuffer(Zeroizing<Vec<u8>>);

impl Write for WipingBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let needed = self.0.len() + buf.len();
        if needed > self.0.capacity() {
            let mut bigger = Zeroizing::new(Vec::with_capacity(needed.max(self.0.capacity() * 2)));
            bigger.extend_from_slice(&self.0);
            // The old buffer is zeroized as it is dropped here.
            self.0 = bigger;
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> Change<'static> {
        Change { now: Utc::now(), actor: "tester" }
    }

    #[test]
    fn add_detects_provider_and_env_var_and_refuses_duplicates() {
        let mut doc = Document::new(Utc::now());
        let e = doc.add("dev", Secret::from("sk-ant-api03-abc"), EntryFields::default(), &change()).unwrap();
        assert_eq!(e.provider, "anthropic");
        assert_eq!(e.env_var, "ANTHROPIC_API_KEY");
        let err = doc.add(" dev ", Secret::from("x"), EntryFields::default(), &change()).unwrap_err();
        assert!(matches!(err, VaultError::DuplicateName(n) if n == "dev"));
        assert!(doc.add("", Secret::from("x"), EntryFields::default(), &change()).is_err());
        assert!(doc.add("empty", Secret::from("  "), EntryFields::default(), &change()).is_err());
    }

    #[test]
    fn edit_moves_old_secret_to_history_and_remove_leaves_tombstone() {
        let mut doc = Document::new(Utc::now());
        doc.add("k", Secret::from("one"), EntryFields::default(), &change()).unwrap();
        let e = doc.edit("k", Some("k2"), Some(Secret::from("two")), EntryFields::default(), &change()).unwrap();
        assert_eq!(e.secret.expose(), "two");
        assert_eq!(e.history.len(), 1);
        assert_eq!(e.history[0].secret.expose(), "one");
        let id = e.id.clone();
        doc.remove("k2", &change()).unwrap();
        assert!(doc.entries.is_empty());
        assert_eq!(doc.tombstones[0].id, id);
        assert!(matches!(doc.remove("k2", &change()), Err(VaultError::NoSuchEntry(_))));
    }

    #[test]
    fn a_failed_edit_changes_nothing_and_empty_values_reset() {
        let mut doc = Document::new(Utc::now());
        doc.add("k", Secret::from("gsk_one"), EntryFields::default(), &change()).unwrap();
        let before = doc.clone();
        let bad = EntryFields { env_var: Some("1 bad".into()), ..Default::default() };
        assert!(doc.edit("k", Some("renamed"), Some(Secret::from("gsk_two")), bad, &change()).is_err());
        assert_eq!(doc, before);

        let to_xai = EntryFields { provider: Some("xai".into()), ..Default::default() };
        let e = doc.edit("k", None, None, to_xai, &change()).unwrap();
        assert_eq!((e.provider.as_str(), e.env_var.as_str()), ("xai", "XAI_API_KEY"));
        let reset = EntryFields { provider: Some(String::new()), ..Default::default() };
        let e = doc.edit("k", None, None, reset, &change()).unwrap();
        assert_eq!((e.provider.as_str(), e.env_var.as_str()), ("groq", "GROQ_API_KEY"));
        let date = NaiveDate::from_ymd_opt(2027, 1, 31);
        let e =
            doc.edit("k", None, None, EntryFields { expires_on: Some(date), ..Default::default() }, &change()).unwrap();
        assert_eq!(e.expires_on, date);
        let e =
            doc.edit("k", None, None, EntryFields { expires_on: Some(None), ..Default::default() }, &change()).unwrap();
        assert_eq!(e.expires_on, None);
    }

    #[test]
    fn a_restored_entry_outlives_its_deletion_in_merges() {
        let mut doc = Document::new(Utc::now());
        doc.add("k", Secret::from("v"), EntryFields::default(), &change()).unwrap();
        let deleted_copy = {
            let mut d = doc.clone();
            let removed = d.remove("k", &change()).unwrap();
            let mut undone = d.clone();
            undone.restore(removed, &change()).unwrap();
            assert!(undone.tombstones.is_empty());
            assert_eq!(crate::merge::merge(&undone, &d).entries.len(), 1, "the undo wins over the deletion");
            d
        };
        assert!(crate::merge::merge(&doc, &deleted_copy).entries.is_empty());
    }

    #[test]
    fn restoring_an_earlier_value_swaps_it_with_the_current_one() {
        let mut doc = Document::new(Utc::now());
        doc.add("k", Secret::from("one"), EntryFields::default(), &change()).unwrap();
        doc.edit("k", None, Some(Secret::from("two")), EntryFields::default(), &change()).unwrap();
        let e = doc.restore_value("k", 0, &change()).unwrap();
        assert_eq!(e.secret.expose(), "one");
        let history: Vec<&str> = e.history.iter().map(|h| h.secret.expose()).collect();
        assert_eq!(history, ["two"]);
        assert!(doc.restore_value("k", 5, &change()).is_err());
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let mut doc = Document::new(Utc::now());
        doc.add("k", Secret::from("v"), EntryFields::default(), &change()).unwrap();
        let mut json: Value = serde_json::from_slice(&doc.to_json()).unwrap();
        json["future_top"] = Value::from(1);
        json["entries"][0]["future_entry"] = serde_json::json!({"a": [1, 2]});
        json["settings"]["future_setting"] = Value::from("x");
        let parsed = Document::from_json(&serde_json::to_vec(&json).unwrap()).unwrap();
        let again: Value = serde_json::from_slice(&parsed.to_json()).unwrap();
        assert_eq!(again, json);
    }

    #[test]
    fn serializing_past_the_size_estimate_keeps_every_byte() {
        let mut doc = Document::new(Utc::now());
        let fields = EntryFields { notes: Some("n".repeat(50_000)), ..Default::default() };
        doc.add("big", Secret::from("v"), fields, &change()).unwrap();
        let json = doc.to_json();
        assert!(json.len() > 50_000);
        assert_eq!(Document::from_json(&json).unwrap(), doc);
    }

    #[test]
    fn newer_and_foreign_documents_are_refused() {
        assert_eq!(
            Document::from_json(br#"{"format":"keyward-vault","version":3,"x":[]}"#),
            Err(FormatError::Newer(3))
        );
        assert!(matches!(Document::from_json(br#"{"format":"other","version":1}"#), Err(FormatError::WrongFormat(_))));
        assert!(matches!(Document::from_json(b"not json"), Err(FormatError::NotJson(_))));
        assert!(matches!(
            Document::from_json(br#"{"format":"keyward-vault","version":1}"#),
            Err(FormatError::Invalid(_))
        ));
    }
}
