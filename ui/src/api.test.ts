import { describe, expect, it } from "vitest";
import { attempt, errorKind, errorText } from "./api";

describe("errors from commands", () => {
  it("reads the core's kind and sentence", () => {
    const e = { kind: "wrong_passphrase", message: "The passphrase is wrong (or the vault file is damaged). Nothing was changed." };
    expect(errorKind(e)).toBe("wrong_passphrase");
    expect(errorText(e)).toBe(e.message);
  });
  it("reads Tauri's own errors (plain strings) and anything else as a sentence, with no kind", () => {
    expect(errorKind("check_entry not allowed")).toBeNull();
    expect(errorText("check_entry not allowed")).toBe("check_entry not allowed");
    expect(errorText(new Error("boom"))).toBe("boom");
    expect(errorText(42)).toBe("Something went wrong.");
  });
  it("attempt resolves to the sentence, or nothing when it worked", async () => {
    expect(await attempt(async () => 1)).toBe("");
    expect(await attempt(async () => Promise.reject({ kind: "locked", message: "The vault is locked." }))).toBe(
      "The vault is locked.",
    );
  });
});
