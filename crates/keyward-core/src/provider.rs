//! Which service a key belongs to: the provider table and detection by key prefix.
//!
//! Detection never rejects a key for its length: provider key lengths change over time.

/// What Keyward knows about one provider: how to recognise its keys, where its API is, how
/// to check a key there, and where its users manage keys and billing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider {
    /// Stable id stored in vault files (`openai`, `anthropic`, …).
    pub id: &'static str,
    pub display_name: &'static str,
    /// Key prefixes that identify this provider, most specific first.
    pub prefixes: &'static [&'static str],
    /// The environment variable its official SDKs read.
    pub env_var: &'static str,
    /// The official base URL, in the official SDKs' convention; empty when each user has their
    /// own (Azure resources, self-hosted servers).
    pub base_url: &'static str,
    /// The free key check: a request relative to the base URL. `None`: no free check is known.
    pub check: Option<Check>,
    pub auth: Auth,
    /// How its answers and errors are shaped.
    pub style: Style,
    /// The paid "deep" check (one tiny generation), when there is one.
    pub deep: Option<Deep>,
    /// Cheapest models first, for the deep check.
    pub cheap_models: &'static [&'static str],
    pub keys_url: &'static str,
    pub billing_url: &'static str,
}

/// A request made to check a key: method and path (with query) after the base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub post: bool,
    pub path: &'static str,
}

/// How the key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer KEY`
    Bearer,
    /// `x-api-key: KEY` and `anthropic-version`
    Anthropic,
    /// `x-goog-api-key: KEY` (never `?key=`: URLs end up in logs)
    Google,
    /// `api-key: KEY`
    Azure,
}

/// The shape of a provider's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    OpenAi,
    Anthropic,
    Google,
    OpenRouter,
    Xai,
    DeepSeek,
    Cohere,
    HuggingFace,
}

/// The smallest paid request that proves a key can generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deep {
    /// `POST {base}/chat/completions` (OpenAI and compatible APIs)
    ChatCompletions,
    /// `POST {base}/v1/messages`
    AnthropicMessages,
    /// `POST {base}/v1beta/models/MODEL:generateContent`
    GeminiGenerate,
}

/// The id used when a key's provider is unknown.
pub const OTHER: &str = "other";

const fn get(path: &'static str) -> Option<Check> {
    Some(Check { post: false, path })
}

/// The known providers. Order matters for detection: longer, more specific prefixes first
/// (`sk-ant-` and `sk-or-v1-` before OpenAI's `sk-`).
pub const PROVIDERS: &[Provider] = &[
    Provider {
        id: "anthropic",
        display_name: "Anthropic",
        prefixes: &["sk-ant-"],
        env_var: "ANTHROPIC_API_KEY",
        base_url: "https://api.anthropic.com",
        check: get("/v1/models"),
        auth: Auth::Anthropic,
        style: Style::Anthropic,
        deep: Some(Deep::AnthropicMessages),
        cheap_models: &["claude-3-5-haiku", "claude-3-haiku", "claude-haiku"],
        keys_url: "https://console.anthropic.com/settings/keys",
        billing_url: "https://console.anthropic.com/settings/billing",
    },
    Provider {
        id: "openrouter",
        display_name: "OpenRouter",
        prefixes: &["sk-or-v1-", "sk-or-"],
        env_var: "OPENROUTER_API_KEY",
        base_url: "https://openrouter.ai/api/v1",
        check: get("/key"),
        auth: Auth::Bearer,
        style: Style::OpenRouter,
        deep: None,
        cheap_models: &[],
        keys_url: "https://openrouter.ai/settings/keys",
        billing_url: "https://openrouter.ai/settings/credits",
    },
    Provider {
        id: "openai",
        display_name: "OpenAI",
        prefixes: &["sk-proj-", "sk-svcacct-", "sk-admin-"],
        env_var: "OPENAI_API_KEY",
        base_url: "https://api.openai.com/v1",
        check: get("/models"),
        auth: Auth::Bearer,
        style: Style::OpenAi,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["gpt-4o-mini", "gpt-4.1-nano", "gpt-4.1-mini", "gpt-3.5-turbo"],
        keys_url: "https://platform.openai.com/api-keys",
        billing_url: "https://platform.openai.com/settings/organization/billing",
    },
    Provider {
        id: "gemini",
        display_name: "Google Gemini",
        prefixes: &["AIza"],
        env_var: "GEMINI_API_KEY",
        base_url: "https://generativelanguage.googleapis.com",
        check: get("/v1beta/models"),
        auth: Auth::Google,
        style: Style::Google,
        deep: Some(Deep::GeminiGenerate),
        cheap_models: &["gemini-2.0-flash-lite", "gemini-2.5-flash-lite", "gemini-2.0-flash", "gemini-1.5-flash"],
        keys_url: "https://aistudio.google.com/apikey",
        billing_url: "https://console.cloud.google.com/billing",
    },
    Provider {
        id: "groq",
        display_name: "Groq",
        prefixes: &["gsk_"],
        env_var: "GROQ_API_KEY",
        base_url: "https://api.groq.com/openai/v1",
        check: get("/models"),
        auth: Auth::Bearer,
        style: Style::OpenAi,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["llama-3.1-8b-instant"],
        keys_url: "https://console.groq.com/keys",
        billing_url: "https://console.groq.com/settings/billing",
    },
    Provider {
        id: "xai",
        display_name: "xAI",
        prefixes: &["xai-"],
        env_var: "XAI_API_KEY",
        base_url: "https://api.x.ai/v1",
        check: get("/api-key"),
        auth: Auth::Bearer,
        style: Style::Xai,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["grok-3-mini"],
        keys_url: "https://console.x.ai",
        billing_url: "https://console.x.ai",
    },
    Provider {
        id: "huggingface",
        display_name: "Hugging Face",
        prefixes: &["hf_"],
        env_var: "HF_TOKEN",
        base_url: "https://huggingface.co",
        check: get("/api/whoami-v2"),
        auth: Auth::Bearer,
        style: Style::HuggingFace,
        deep: None,
        cheap_models: &[],
        keys_url: "https://huggingface.co/settings/tokens",
        billing_url: "https://huggingface.co/settings/billing",
    },
    Provider {
        id: "perplexity",
        display_name: "Perplexity",
        prefixes: &["pplx-"],
        env_var: "PERPLEXITY_API_KEY",
        base_url: "https://api.perplexity.ai",
        check: None,
        auth: Auth::Bearer,
        style: Style::OpenAi,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["sonar"],
        keys_url: "https://www.perplexity.ai/settings/api",
        billing_url: "https://www.perplexity.ai/settings/api",
    },
    Provider {
        id: "deepseek",
        display_name: "DeepSeek",
        prefixes: &[],
        env_var: "DEEPSEEK_API_KEY",
        base_url: "https://api.deepseek.com",
        check: get("/user/balance"),
        auth: Auth::Bearer,
        style: Style::DeepSeek,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["deepseek-chat"],
        keys_url: "https://platform.deepseek.com/api_keys",
        billing_url: "https://platform.deepseek.com/top_up",
    },
    Provider {
        id: "mistral",
        display_name: "Mistral",
        prefixes: &[],
        env_var: "MISTRAL_API_KEY",
        base_url: "https://api.mistral.ai/v1",
        check: get("/models"),
        auth: Auth::Bearer,
        style: Style::OpenAi,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["ministral-3b-latest", "mistral-small-latest"],
        keys_url: "https://console.mistral.ai/api-keys",
        billing_url: "https://console.mistral.ai/billing",
    },
    Provider {
        id: "together",
        display_name: "Together AI",
        prefixes: &[],
        env_var: "TOGETHER_API_KEY",
        base_url: "https://api.together.xyz/v1",
        check: get("/models"),
        auth: Auth::Bearer,
        style: Style::OpenAi,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &["meta-llama/Llama-3.2-3B-Instruct-Turbo"],
        keys_url: "https://api.together.ai/settings/api-keys",
        billing_url: "https://api.together.ai/settings/billing",
    },
    Provider {
        id: "cohere",
        display_name: "Cohere",
        prefixes: &[],
        env_var: "CO_API_KEY",
        base_url: "https://api.cohere.com",
        check: Some(Check { post: true, path: "/v1/check-api-key" }),
        auth: Auth::Bearer,
        style: Style::Cohere,
        deep: None,
        cheap_models: &[],
        keys_url: "https://dashboard.cohere.com/api-keys",
        billing_url: "https://dashboard.cohere.com/billing",
    },
    Provider {
        id: "azure-openai",
        display_name: "Azure OpenAI",
        prefixes: &[],
        env_var: "AZURE_OPENAI_API_KEY",
        base_url: "",
        check: get("/openai/deployments?api-version=2022-12-01"),
        auth: Auth::Azure,
        style: Style::OpenAi,
        deep: None,
        cheap_models: &[],
        keys_url: "https://portal.azure.com/#view/Microsoft_Azure_ProjectOxford/CognitiveServicesHub/~/OpenAI",
        billing_url: "https://portal.azure.com/#view/Microsoft_Azure_CostManagement/Menu/~/overview",
    },
    Provider {
        id: "openai-compatible",
        display_name: "OpenAI-compatible",
        prefixes: &[],
        env_var: "OPENAI_API_KEY",
        base_url: "",
        check: get("/models"),
        auth: Auth::Bearer,
        style: Style::OpenAi,
        deep: Some(Deep::ChatCompletions),
        cheap_models: &[],
        keys_url: "",
        billing_url: "",
    },
];

/// OpenAI's legacy keys are `sk-…` with this marker (base64 of "OpenAI") in the middle.
const OPENAI_LEGACY_MARKER: &str = "T3BlbkFJ";

/// Looks a provider up by id (case-insensitive).
pub fn by_id(id: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().find(|p| p.id.eq_ignore_ascii_case(id))
}

/// Detects the provider from a key's prefix; `None` when no rule matches.
pub fn detect(key: &str) -> Option<&'static Provider> {
    let key = key.trim();
    if let Some(p) = PROVIDERS.iter().find(|p| p.prefixes.iter().any(|pre| key.starts_with(pre))) {
        return Some(p);
    }
    if key.starts_with("sk-") && key.contains(OPENAI_LEGACY_MARKER) {
        return by_id("openai");
    }
    None
}

/// The detected provider id, or [`OTHER`].
pub fn detect_id(key: &str) -> &'static str {
    detect(key).map_or(OTHER, |p| p.id)
}

/// How many leading characters of a key are a public, well-known prefix (safe to show).
pub fn visible_prefix_len(key: &str) -> usize {
    PROVIDERS
        .iter()
        .flat_map(|p| p.prefixes.iter())
        .filter(|pre| key.starts_with(**pre))
        .map(|pre| pre.len())
        .max()
        .unwrap_or(if key.starts_with("sk-") { 3 } else { 0 })
}

/// The environment variable name for a provider id; for unknown providers, one derived from
/// the entry name (`my key` → `MY_KEY`).
pub fn default_env_var(provider_id: &str, entry_name: &str) -> String {
    match by_id(provider_id) {
        Some(p) => p.env_var.to_string(),
        None => env_var_from_name(entry_name),
    }
}

/// `my-key.dev` → `MY_KEY_DEV`; a name starting with a digit gets a leading `_`.
pub fn env_var_from_name(name: &str) -> String {
    let mut out: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    // A key called "path" or "node-options" must not become PATH or NODE_OPTIONS.
    if crate::env_guard::controls_execution(&out) {
        out.insert_str(0, "KEY_");
    }
    out
}

/// Whether `name` is a usable environment-variable name.
pub fn is_valid_env_var(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_documented_prefix() {
        let cases = [
            ("sk-proj-abc123", "openai"),
            ("sk-svcacct-abc", "openai"),
            ("sk-admin-abc", "openai"),
            ("sk-abcdefghij1234567890T3BlbkFJabcdefghij1234567890", "openai"),
            ("sk-ant-api03-xyz", "anthropic"),
            ("AIzaSyD-abc", "gemini"),
            ("gsk_abc", "groq"),
            ("sk-or-v1-0123abcd", "openrouter"),
            ("xai-abc", "xai"),
            ("hf_abc", "huggingface"),
            ("pplx-abc", "perplexity"),
        ];
        for (key, id) in cases {
            assert_eq!(detect_id(key), id, "{key}");
        }
    }

    #[test]
    fn unknown_and_ambiguous_keys_are_other_and_length_never_matters() {
        assert_eq!(detect_id("sk-0123456789abcdef0123456789abcdef"), OTHER);
        assert_eq!(detect_id("random"), OTHER);
        assert_eq!(detect_id("sk-proj-x"), "openai");
        assert_eq!(detect_id(&format!("sk-proj-{}", "a".repeat(500))), "openai");
    }

    #[test]
    fn env_vars() {
        assert_eq!(default_env_var("openai", "x"), "OPENAI_API_KEY");
        assert_eq!(default_env_var(OTHER, "my key.dev"), "MY_KEY_DEV");
        assert_eq!(env_var_from_name("1st"), "_1ST");
        assert_eq!(env_var_from_name("node-options"), "KEY_NODE_OPTIONS");
        assert!(is_valid_env_var("OPENAI_API_KEY"));
        assert!(!is_valid_env_var("1X"));
        assert!(!is_valid_env_var("A-B"));
    }
}
