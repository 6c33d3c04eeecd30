//! What each provider answers, per scenario. Bodies follow captured real answers (see
//! shared/reference/providers.md): OpenAI's invalid-key body is pretty-printed, its region block
//! compact; Anthropic and Google wrap errors differently; xAI answers a bad key with 400.

use crate::{Answer, Body, Request};

/// The path part of each provider's official base URL.
pub(crate) fn base_suffix(provider: &str) -> &'static str {
    match provider {
        "openai" | "mistral" | "together" | "xai" | "openai-compatible" => "/v1",
        "groq" => "/openai/v1",
        "openrouter" => "/api/v1",
        _ => "",
    }
}

fn json(status: u16, body: &str) -> Answer {
    Answer { status, headers: vec![("content-type", "application/json".into())], body: Body::Text(body.to_string()) }
}

fn with(mut a: Answer, name: &'static str, value: &str) -> Answer {
    a.headers.push((name, value.to_string()));
    a
}

/// The key sent, from whichever header the provider uses.
fn key(req: &Request) -> Option<&str> {
    req.header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| req.header("x-api-key"))
        .or_else(|| req.header("x-goog-api-key"))
        .or_else(|| req.header("api-key"))
}

pub(crate) fn answer(req: &Request, redirect_to: &str) -> Answer {
    let mut segments = req.path.trim_start_matches('/').splitn(2, '/');
    let provider = segments.next().unwrap_or("");
    let Some(key) = key(req) else {
        return no_key(provider);
    };
    let scenario = key.rsplit_once(':').map_or("valid", |(_, s)| s);
    let generation = req.method == "POST" && provider != "cohere";
    match scenario {
        "html" => {
            return Answer {
                status: 502,
                headers: vec![("content-type", "text/html".into())],
                body: Body::Text(
                    "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>".into(),
                ),
            };
        }
        "html_ok" => {
            return Answer {
                status: 200,
                headers: vec![("content-type", "text/html".into())],
                body: Body::Text("<html><body>Please sign in to the network</body></html>".into()),
            };
        }
        "malformed" => return json(200, "{\"data\": [{\"id\": \"gpt-4o"),
        // A gateway that echoes the key back everywhere it can.
        "echo" => {
            let body = format!(r#"{{"error":{{"message":"bad key {key}","type":"{key}","code":"{key}"}}}}"#);
            let a = with(json(401, &body), "x-request-id", key);
            return with(a, "x-ratelimit-limit-requests", key);
        }
        "echo_label" => {
            return json(
                200,
                &format!(r#"{{"data":{{"label":"{key}","limit":null,"usage":0,"limit_remaining":null}}}}"#),
            );
        }
        "echo_redirect" => return with(json(302, ""), "location", &format!("/login?key={key}")),
        "forbidden_page" => {
            return Answer {
                status: 403,
                headers: vec![("content-type", "text/html".into())],
                body: Body::Text(
                    "<html><body><h1>Access denied</h1>Blocked by the corporate firewall.</body></html>".into(),
                ),
            };
        }
        "redirect" => return with(json(302, ""), "location", redirect_to),
        "huge" => return Answer { status: 200, headers: vec![], body: Body::Huge(64 << 20) },
        "hang" => return Answer { status: 200, headers: vec![], body: Body::Hang },
        _ => {}
    }
    // Deep-check scenarios: the key lists models fine, generation fails.
    let scenario = match (scenario, generation) {
        ("no_credit_deep", true) => "no_credit",
        ("restricted_deep", true) => "restricted_generation",
        ("invalid_request_deep", true) => "bad_request",
        ("no_credit_deep" | "restricted_deep" | "invalid_request_deep", false) => "valid",
        (s, _) => s,
    };
    match provider {
        "anthropic" => anthropic(req, scenario, generation),
        "gemini" => gemini(scenario, generation),
        "openrouter" => openrouter(scenario),
        "xai" => xai(scenario, generation),
        "deepseek" => deepseek(scenario, generation),
        "cohere" => cohere(scenario),
        "huggingface" => huggingface(scenario),
        "azure-openai" => azure(scenario),
        "mistral" if scenario == "invalid" => json(401, r#"{"message":"Unauthorized","request_id":"5d3e1b2c"}"#),
        "groq" if scenario == "invalid" => json(
            401,
            r#"{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}"#,
        ),
        _ => openai(scenario, generation),
    }
}

fn no_key(provider: &str) -> Answer {
    match provider {
        "anthropic" => json(
            401,
            r#"{"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"},"request_id":"req_011"}"#,
        ),
        _ => json(
            401,
            "{\n  \"error\": {\n    \"message\": \"You didn't provide an API key.\",\n    \"type\": \"invalid_request_error\",\n    \"param\": null,\n    \"code\": null\n  }\n}\n",
        ),
    }
}

fn openai_error(status: u16, message: &str, kind: &str, code: &str) -> Answer {
    let code = if code == "null" { "null".to_string() } else { format!("\"{code}\"") };
    let body = format!(
        "{{\n  \"error\": {{\n    \"message\": \"{message}\",\n    \"type\": \"{kind}\",\n    \"param\": null,\n    \"code\": {code}\n  }}\n}}\n"
    );
    with(json(status, &body), "x-request-id", "req_5f1c0d9a0e6b4c7d8e9f00112233aabb")
}

fn openai(scenario: &str, generation: bool) -> Answer {
    match scenario {
        "valid" if generation => with(
            json(
                200,
                r#"{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}],"usage":{"prompt_tokens":8,"completion_tokens":1,"total_tokens":9}}"#,
            ),
            "x-request-id",
            "req_00000000000000000000000000000001",
        ),
        "valid" => {
            let a = json(
                200,
                r#"{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"},{"id":"text-embedding-3-small","object":"model","created":1705948997,"owned_by":"system"}]}"#,
            );
            let a = with(a, "x-request-id", "req_0123456789abcdef0123456789abcdef");
            let a = with(a, "x-ratelimit-limit-requests", "5000");
            with(a, "x-ratelimit-remaining-requests", "4999")
        }
        "invalid" => openai_error(
            401,
            "Incorrect API key provided: sk-proj-********************wjh3. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
        ),
        "restricted" | "restricted_generation" => openai_error(
            401,
            "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.",
            "invalid_request_error",
            "null",
        ),
        "wrong_org" => openai_error(
            401,
            "OpenAI-Organization header should match organization for API key",
            "invalid_request_error",
            "mismatched_organization",
        ),
        "no_org" => openai_error(
            401,
            "You must be a member of an organization to use the API. Please contact us through our help center at help.openai.com.",
            "invalid_request_error",
            "no_organization",
        ),
        "no_credit" => openai_error(
            429,
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            "insufficient_quota",
            "insufficient_quota",
        ),
        "rate_limited" => {
            let a = openai_error(
                429,
                "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29995, Requested 120. Please try again in 18.642s.",
                "tokens",
                "rate_limit_exceeded",
            );
            let a = with(a, "x-ratelimit-remaining-tokens", "0");
            with(a, "x-ratelimit-reset-tokens", "18.642s")
        }
        "region_blocked" => json(
            403,
            r#"{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}"#,
        ),
        "server_error" => openai_error(
            500,
            "The server had an error processing your request. Sorry about that!",
            "server_error",
            "null",
        ),
        "overloaded" => openai_error(
            503,
            "Our servers are currently overloaded. Please try again later.",
            "service_unavailable_error",
            "server_is_overloaded",
        ),
        "not_found" => json(404, r#"{"error":{"message":"Not found","type":"invalid_request_error","code":null}}"#),
        _ => openai_error(500, "unknown test scenario", "server_error", "null"),
    }
}

fn anthropic_error(status: u16, kind: &str, message: &str) -> Answer {
    let body = format!(
        r#"{{"type":"error","error":{{"type":"{kind}","message":"{message}"}},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}}"#
    );
    with(json(status, &body), "request-id", "req_011CSHoEeqs5C35K2UUqR7Fy")
}

fn anthropic(req: &Request, scenario: &str, generation: bool) -> Answer {
    if req.header("anthropic-version").is_none() {
        return anthropic_error(400, "invalid_request_error", "anthropic-version: header is required");
    }
    match scenario {
        "valid" if generation => json(
            200,
            r#"{"id":"msg_01","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[{"type":"text","text":"Hi"}],"stop_reason":"max_tokens","usage":{"input_tokens":8,"output_tokens":1}}"#,
        ),
        "valid" => with(
            with(
                json(
                    200,
                    r#"{"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"},{"type":"model","id":"claude-3-5-haiku-20241022","display_name":"Claude Haiku 3.5","created_at":"2024-10-22T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-20250514","last_id":"claude-3-5-haiku-20241022"}"#,
                ),
                "request-id",
                "req_011CSHoEeqs5C35K2UUqR7Fy",
            ),
            "anthropic-ratelimit-requests-remaining",
            "49",
        ),
        "invalid" => anthropic_error(401, "authentication_error", "invalid x-api-key"),
        "restricted" | "restricted_generation" => anthropic_error(
            403,
            "permission_error",
            "Your API key does not have permission to use the specified resource.",
        ),
        "no_credit" => anthropic_error(
            400,
            "invalid_request_error",
            "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
        ),
        "disabled" => anthropic_error(400, "invalid_request_error", "This organization has been disabled."),
        "rate_limited" => with(
            anthropic_error(
                429,
                "rate_limit_error",
                "Number of request tokens has exceeded your per-minute rate limit",
            ),
            "retry-after",
            "12",
        ),
        "server_error" => anthropic_error(500, "api_error", "Internal server error"),
        "overloaded" => anthropic_error(529, "overloaded_error", "Overloaded"),
        _ => anthropic_error(500, "api_error", "unknown test scenario"),
    }
}

fn google_error(status: u16, code_name: &str, message: &str, reason: Option<&str>) -> Answer {
    let details = reason.map_or(String::new(), |r| {
        format!(
            r#","details":[{{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"{r}","domain":"googleapis.com","metadata":{{"service":"generativelanguage.googleapis.com"}}}}]"#
        )
    });
    let body = format!(
        "{{\n  \"error\": {{\n    \"code\": {status},\n    \"message\": \"{message}\",\n    \"status\": \"{code_name}\"{details}\n  }}\n}}\n"
    );
    json(status, &body)
}

fn gemini(scenario: &str, generation: bool) -> Answer {
    match scenario {
        "valid" if generation => json(
            200,
            r#"{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"MAX_TOKENS"}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":1}}"#,
        ),
        "valid" => json(
            200,
            r#"{"models":[{"name":"models/gemini-2.5-pro","displayName":"Gemini 2.5 Pro"},{"name":"models/gemini-2.0-flash-lite","displayName":"Gemini 2.0 Flash-Lite"}],"nextPageToken":"abc"}"#,
        ),
        "invalid" => google_error(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            Some("API_KEY_INVALID"),
        ),
        "restricted" | "restricted_generation" => google_error(
            403,
            "PERMISSION_DENIED",
            "Requests to this API generativelanguage.googleapis.com method google.ai.generativelanguage.v1beta.ModelService.ListModels are blocked.",
            Some("API_KEY_SERVICE_BLOCKED"),
        ),
        "disabled" => google_error(
            403,
            "PERMISSION_DENIED",
            "Permission denied: Consumer has been suspended.",
            Some("CONSUMER_SUSPENDED"),
        ),
        "region_blocked" => {
            google_error(400, "FAILED_PRECONDITION", "User location is not supported for the API use.", None)
        }
        "no_credit" | "rate_limited" => google_error(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details.",
            None,
        ),
        "server_error" => google_error(500, "INTERNAL", "An internal error has occurred.", None),
        "overloaded" => google_error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", None),
        _ => google_error(500, "INTERNAL", "unknown test scenario", None),
    }
}

fn openrouter(scenario: &str) -> Answer {
    match scenario {
        "valid" => json(
            200,
            r#"{"data":{"label":"sk-or-v1-0e6...1d2","limit":20,"usage":4.25,"limit_remaining":15.75,"is_free_tier":false,"is_provisioning_key":false,"rate_limit":{"requests":200,"interval":"10s"}}}"#,
        ),
        "no_credit" => json(
            402,
            r#"{"error":{"message":"Insufficient credits. Add more using https://openrouter.ai/credits","code":402}}"#,
        ),
        "invalid" => json(401, r#"{"error":{"message":"User not found.","code":401}}"#),
        "rate_limited" => json(429, r#"{"error":{"message":"Rate limit exceeded","code":429}}"#),
        _ => json(500, r#"{"error":{"message":"Internal Server Error","code":500}}"#),
    }
}

fn xai(scenario: &str, generation: bool) -> Answer {
    match scenario {
        "valid" if generation => openai("valid", true),
        "bad_request" => {
            json(400, r#"{"code":"Client specified an invalid argument","error":"Model not found: grok-0"}"#)
        }
        "valid" => json(
            200,
            r#"{"redacted_api_key":"xai-...b2c3","user_id":"u1","name":"ci key","create_time":"2025-01-01T00:00:00Z","modify_time":"2025-01-01T00:00:00Z","modified_by":"u1","team_id":"t1","acls":["api-key:model:*","api-key:endpoint:*"],"api_key_id":"k1","team_blocked":false,"api_key_blocked":false,"api_key_disabled":false}"#,
        ),
        "invalid" => json(
            400,
            r#"{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***XX. You can obtain an API key from https://console.x.ai."}"#,
        ),
        "disabled" => json(
            200,
            r#"{"redacted_api_key":"xai-...b2c3","name":"old key","acls":[],"team_blocked":false,"api_key_blocked":true,"api_key_disabled":true}"#,
        ),
        _ => openai(scenario, generation),
    }
}

fn deepseek(scenario: &str, generation: bool) -> Answer {
    match scenario {
        "valid" if generation => openai("valid", true),
        "valid" => json(
            200,
            r#"{"is_available":true,"balance_infos":[{"currency":"USD","total_balance":"4.87","granted_balance":"0.00","topped_up_balance":"4.87"}]}"#,
        ),
        "no_credit" => json(
            200,
            r#"{"is_available":false,"balance_infos":[{"currency":"USD","total_balance":"0.00","granted_balance":"0.00","topped_up_balance":"0.00"}]}"#,
        ),
        "invalid" => json(
            401,
            r#"{"error":{"message":"Authentication Fails, Your api key: ****fcc2 is invalid","type":"authentication_error","param":null,"code":"invalid_request_error"}}"#,
        ),
        _ => openai(scenario, generation),
    }
}

fn cohere(scenario: &str) -> Answer {
    match scenario {
        "valid" => json(200, r#"{"valid":true,"organization_id":"org-1","owner_id":"owner-1"}"#),
        "invalid" => json(401, r#"{"id":"c1","message":"invalid api token"}"#),
        "rate_limited" => json(
            429,
            r#"{"id":"c2","message":"You are using a Trial key, which is limited to 1000 API calls / month."}"#,
        ),
        _ => json(500, r#"{"id":"c3","message":"internal server error"}"#),
    }
}

fn huggingface(scenario: &str) -> Answer {
    match scenario {
        "valid" => json(
            200,
            r#"{"type":"user","name":"ana","auth":{"type":"access_token","accessToken":{"displayName":"laptop","role":"read"}}}"#,
        ),
        "invalid" => json(401, r#"{"error":"Invalid credentials in Authorization header"}"#),
        _ => json(500, r#"{"error":"Internal Error"}"#),
    }
}

fn azure(scenario: &str) -> Answer {
    match scenario {
        "valid" => json(
            200,
            r#"{"data":[{"id":"gpt-4o-mini","model":"gpt-4o-mini","status":"succeeded","object":"deployment"}],"object":"list"}"#,
        ),
        "invalid" => json(
            401,
            r#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}"#,
        ),
        "not_found" => json(
            404,
            r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}"#,
        ),
        _ => openai(scenario, false),
    }
}
