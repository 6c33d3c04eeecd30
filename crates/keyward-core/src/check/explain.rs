//! The words: a plain sentence for each verdict, what to do next, and the page to go to.

use super::classify::Reason;
use super::request::NoTarget;
use super::{CheckReport, Status};
use crate::provider::{self, Provider};

fn link(url: &str) -> Option<String> {
    (!url.is_empty()).then(|| url.to_string())
}

/// (message, hint, link) for a verdict.
pub(crate) fn verdict(
    p: &Provider,
    status: Status,
    reason: Reason,
    report: &CheckReport,
) -> (String, String, Option<String>) {
    let name = p.display_name;
    let keys = link(p.keys_url);
    let billing = link(p.billing_url).or_else(|| keys.clone());
    let at = |url: &Option<String>| url.as_ref().map_or(String::new(), |u| format!(" at {u}"));
    match status {
        Status::Valid => {
            let generated = reason == Reason::Generated;
            let mut message =
                if generated { "The key works and can generate text" } else { "The key works" }.to_string();
            let d = &report.details;
            let mut facts = Vec::new();
            if let Some(n) = d.models_count {
                facts.push(format!("{n} models available"));
            }
            if let Some(c) = &d.credit {
                facts.push(c.clone());
            }
            if let Some(k) = &d.key_info {
                facts.push(k.clone());
            }
            if !facts.is_empty() {
                message = format!("{message} ({})", facts.join(", "));
            }
            message.push('.');
            if generated {
                message.push_str(" The check cost a fraction of a cent.");
            }
            let hint = if reason != Reason::Generated && p.deep.is_some() && d.credit.is_none() {
                "A working key does not prove the account has credit: run a deep check to be sure.".to_string()
            } else {
                "Nothing to do.".to_string()
            };
            (message, hint, None)
        }
        Status::Invalid => {
            let message = match reason {
                Reason::Disabled => format!("{name} has disabled this key or its account."),
                _ => format!("{name} does not recognise this key: it was mistyped, revoked or deleted."),
            };
            (message, format!("Create a new key{} and replace this one.", at(&keys)), keys)
        }
        Status::Restricted => {
            let message = match reason {
                Reason::IpNotAllowed => {
                    "The key works only from approved networks, and this is not one of them.".to_string()
                }
                Reason::ServiceDisabled => format!("The key's project has not enabled the {name} API."),
                _ => "The key works, but it is not allowed to do this (a restricted key missing a permission)."
                    .to_string(),
            };
            (
                message,
                format!("Give the key the permission it needs, or create an unrestricted one{}.", at(&keys)),
                keys,
            )
        }
        Status::WrongOrganization => {
            let message = match reason {
                Reason::NoOrganization => {
                    "This account is not set up for API use yet (it belongs to no organization).".to_string()
                }
                _ => "The organization or project ID saved with this key does not match the key.".to_string(),
            };
            (message, "Correct or remove the organization and project IDs of this entry.".to_string(), keys)
        }
        Status::NoCredit => (
            "The key is fine, but the account has no credit left (or reached its spending limit).".to_string(),
            format!("Add credit or raise the limit{}.", at(&billing)),
            billing,
        ),
        Status::RateLimited => (
            "The key works, but it is being rate-limited right now.".to_string(),
            format!("Wait a minute and check again; if it keeps happening, raise the limits{}.", at(&billing)),
            billing,
        ),
        Status::RegionBlocked => (
            format!("{name} does not serve the place this request came from (country, region or VPN)."),
            "Check from a supported location, or turn the VPN or proxy off.".to_string(),
            None,
        ),
        Status::ProviderError => {
            let message = match reason {
                Reason::WebPage => format!(
                    "The answer was a web page, not {name}'s API: a proxy, gateway or network login page answered instead."
                ),
                Reason::Malformed => format!("{name} sent an answer Keyward could not read."),
                Reason::NotFound => "The address answered \"not found\": the base URL is probably wrong.".to_string(),
                Reason::BadRequest => format!("{name} refused the check request."),
                Reason::BrokenAnswer => format!("{name}'s answer broke off."),
                _ => format!("{name} had a problem on its side (HTTP {}).", report.http_status.unwrap_or_default()),
            };
            let hint = if report.custom_base_url {
                "Check the base URL of this entry, then try again.".to_string()
            } else {
                "Try again in a few minutes; the provider may be down.".to_string()
            };
            (message, hint, None)
        }
        Status::NetworkError => {
            let message = match reason {
                Reason::Redirect => format!(
                    "The server answered with a redirect to {}; Keyward did not follow it, so the key was not sent there.",
                    report.details.redirect_to.as_deref().unwrap_or("another address")
                ),
                Reason::Dns => {
                    format!("{}'s address could not be found (DNS).", report.sent_to.as_deref().unwrap_or(name))
                }
                Reason::Refused => "The connection was refused.".to_string(),
                Reason::Tls => {
                    "A secure connection could not be made (a certificate problem, or a proxy that inspects traffic)."
                        .to_string()
                }
                _ => "The provider could not be reached.".to_string(),
            };
            (message, "Check your internet connection, proxy settings and the entry's base URL.".to_string(), None)
        }
        Status::Timeout => (
            format!("{name} did not answer in time."),
            "Check your connection or proxy, then try again (a longer timeout may help).".to_string(),
            None,
        ),
        Status::Unsupported => {
            let (message, hint) = no_check(p);
            (message, hint, None)
        }
    }
}

/// For providers without a free check.
pub(crate) fn no_check(p: &Provider) -> (String, String) {
    let hint = if p.deep.is_some() {
        "A deep check (one tiny paid request) can test it."
    } else {
        "Test it in your own code."
    };
    (format!("There is no free way to check {} keys.", p.display_name), hint.to_string())
}

/// For jobs that cannot be sent anywhere.
pub(crate) fn no_target(provider_id: &str, why: &NoTarget) -> (String, String) {
    let name = provider::by_id(provider_id).map_or("this provider", |p| p.display_name);
    match why {
        NoTarget::UnknownProvider => (
            "Keyward does not know which provider this key is for, so it cannot check it.".to_string(),
            "Set the provider of this entry (or \"openai-compatible\" with a base URL).".to_string(),
        ),
        NoTarget::NeedsBaseUrl => (
            format!("{name} keys are checked at their own address, and this entry has no base URL."),
            "Set the entry's base URL (your resource or server address).".to_string(),
        ),
        NoTarget::Insecure => (
            "The entry's base URL uses plain http, so the key would travel unencrypted; Keyward did not send it."
                .to_string(),
            "Use an https:// base URL (plain http is allowed only for a server on this computer).".to_string(),
        ),
        NoTarget::BadBaseUrl => (
            "The entry's base URL is not a valid http(s) address.".to_string(),
            "Correct the base URL of this entry.".to_string(),
        ),
    }
}
